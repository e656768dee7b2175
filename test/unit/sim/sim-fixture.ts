// Shared setup for the sim's own tests: a started sim, trusted by this process, and real SDK clients.
import { getClient, type Client } from '@azure-rest/core-client';
import { PolicyClient } from '@azure/arm-policy';
import { SecurityCenter } from '@azure/arm-security';
import { ClientSecretCredential } from '@azure/identity';
import { startSimTenant, trustSimCertificate, type SimOptions, type SimTenant } from '../../sim/index.js';

export const ARM_SCOPE = 'https://management.azure.com/.default';
export const EXEMPTION_API = '2024-12-01-preview';
export const CONTACTS_API = '2023-12-01-preview';
export const EXEMPTION_PATH = '/{scope}/providers/Microsoft.Authorization/policyExemptions/{policyExemptionName}';

export interface SimFixture {
  sim: SimTenant;
  credential: ClientSecretCredential;
  rest: Client;
  policy(subscriptionId: string): PolicyClient;
  security(subscriptionId: string): SecurityCenter;
}

export async function startFixture(options?: SimOptions): Promise<SimFixture> {
  const sim = await startSimTenant(options);
  trustSimCertificate(sim.caCertPem);
  const { tenantId, clientId, clientSecret } = sim.credentials;
  const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, {
    authorityHost: sim.authorityHost,
    disableInstanceDiscovery: true,
  });
  // Short retry delays keep the fault tests fast; the policies themselves are the SDK's own.
  const retryOptions = { maxRetries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 50 };
  return {
    sim,
    credential,
    rest: getClient(sim.armEndpoint, credential, { credentials: { scopes: [ARM_SCOPE] }, retryOptions }),
    policy: (sub) => new PolicyClient(credential, sub, { endpoint: sim.armEndpoint, credentials: { scopes: [ARM_SCOPE] }, retryOptions }),
    security: (sub) => new SecurityCenter(credential, sub, { endpoint: sim.armEndpoint, credentialScopes: [ARM_SCOPE], retryOptions }),
  };
}

/** ARM ids start with '/'; the SDKs' {scope}/{resourceId} parameters want them without it. */
export const noLeadingSlash = (id: string): string => id.replace(/^\/+/, '');

export function exemptionPath(f: SimFixture, scopeId: string, name: string) {
  return f.rest.path(EXEMPTION_PATH, { value: noLeadingSlash(scopeId), allowReserved: true }, name);
}
