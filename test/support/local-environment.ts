import { randomBytes } from 'node:crypto';
import { SETTINGS } from '../../lib/config/settings-catalog.js';
import { startSimTenant, trustSimCertificate, type SimTenant } from '../sim/index.js';
import { startAzurite, type AzuriteHandle } from './azurite.js';

export interface LocalEnvironment {
  readonly sim: SimTenant;
  readonly azurite: AzuriteHandle;
  /** App settings pointing every adapter at Azurite and the simulated tenant. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Azurite plus the simulated tenant, and the app settings that point the real SDK clients at them:
 * the same wiring the tests, the dev host and the demo use. PUBLIC_BASE_URL is left out unless given:
 * the local host fills it in once it knows its own port.
 */
export async function startLocalEnvironment(options: { publicBaseUrl?: string; extraEnv?: Record<string, string> } = {}): Promise<LocalEnvironment> {
  const [sim, azurite] = await Promise.all([startSimTenant(), startAzurite()]);
  trustSimCertificate(sim.caCertPem);
  const env: Record<string, string> = {
    ...appSettingsFor(sim, azurite),
    ...(options.publicBaseUrl ? { PUBLIC_BASE_URL: options.publicBaseUrl } : {}),
    ...options.extraEnv,
  };
  return {
    sim,
    azurite,
    env,
    async stop() {
      await Promise.allSettled([sim.close(), azurite.stop()]);
    },
  };
}

/** The app settings that point every adapter at this Azurite and this simulated tenant. */
export function appSettingsFor(sim: SimTenant, azurite: AzuriteHandle): Record<string, string> {
  return {
    AzureWebJobsStorage: azurite.connectionString,
    AZURE_TENANT_ID: sim.credentials.tenantId,
    AZURE_CLIENT_ID: sim.credentials.clientId,
    AZURE_CLIENT_SECRET: sim.credentials.clientSecret,
    AZURE_AUTHORITY_HOST: sim.authorityHost,
    ARM_ENDPOINT: sim.armEndpoint,
    REVIEW_SIGNING_KEY: randomBytes(32).toString('base64url'),
    EMAIL_TRANSPORT: 'smtp',
    EMAIL_FROM: 'exemption-broker@contoso.example',
    SMTP_HOST: sim.smtp.host,
    SMTP_PORT: String(sim.smtp.port),
    SMTP_SECURE: 'false',
    // Read by the host itself (a timer's %…% schedule), so it must be present like in Azure.
    REQUEUE_STUCK_SCHEDULE: SETTINGS.REQUEUE_STUCK_SCHEDULE.default,
    SWEEP_SCHEDULE: SETTINGS.SWEEP_SCHEDULE.default,
    // Each Defender event is its own request here, notified at once: the tests follow one event end to
    // end. test/integration/burst-coalescing.test.ts and the demo turn coalescing on.
    COALESCE_WINDOW_SECONDS: '0',
  };
}
