import type { z } from 'zod';
import { lazily, zod } from '../core/lazy-zod.js';
import { optionalProp as optional } from '../core/optional.js';
import { SETTINGS, type SettingName, type SettingSpec } from './settings-catalog.js';
import type { ScopeLevel } from '../requests/scope-level.js';
import { parseSweepScope, parseWarnDays, type SweepSettings } from './sweep-settings.js';
import { ticketSettingsFrom, type TicketSettings } from '../tickets/ticket-settings.js';
import { checkOpenIdMetadataUrl, parseChannelMap, type TeamsSettings } from './teams-settings.js';

type Raw = Readonly<Record<string, string | undefined>>;

export interface Settings {
  readonly storage:
    | { readonly kind: 'connectionString'; readonly connectionString: string }
    | { readonly kind: 'identity'; readonly tableServiceUri: string; readonly queueServiceUri: string; readonly clientId?: string };
  readonly identity: {
    readonly clientId?: string;
    readonly tenantId?: string;
    readonly clientSecret?: string;
    readonly authorityHost: string;
  };
  readonly armEndpoint: string;
  readonly publicBaseUrl: string;
  /** App Service authentication fronts the app, so its principal headers are the platform's own. */
  readonly platformAuth: boolean;
  readonly review: { readonly signingKey: string; readonly linkTtlHours: number; readonly fallbackApprovers: readonly string[] };
  readonly email:
    | { readonly transport: 'smtp'; readonly from: string; readonly host: string; readonly port: number; readonly secure: boolean; readonly user?: string; readonly password?: string }
    | { readonly transport: 'acs'; readonly from: string; readonly endpoint: string };
  readonly limits: {
    readonly maxBodyBytes: number;
    readonly maxResourcesPerRequest: number;
    readonly maxExpiryDays: number;
    readonly defaultExpiryDays: number;
    readonly maxJustificationLength: number;
    readonly defaultCategory: 'Waiver' | 'Mitigated';
    readonly maxScopeLevel: ScopeLevel;
  };
  /** The stuck-request timer; the host reads the schedule itself, the code only the threshold. */
  readonly requeue: { readonly schedule: string; readonly stuckAfterMinutes: number };
  /** Burst coalescing of Defender relay events (lib/requests/burst.ts); 0 seconds is off. */
  readonly coalesce: { readonly windowSeconds: number };
  readonly sweep: SweepSettings;
  readonly tickets: TicketSettings;
  /** Present when BOT_APP_ID is set: the Teams channel is on. */
  readonly teams?: TeamsSettings;
}

export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid app settings:\n- ${problems.join('\n- ')}`);
    this.name = 'SettingsError';
  }
}

const email = lazily(() => zod().string().trim().toLowerCase().pipe(zod().email()));

function schemaFor(spec: SettingSpec): z.ZodType<unknown> {
  const z = zod();
  switch (spec.kind) {
    case 'int': {
      let n = z.coerce.number().int();
      if (spec.min !== undefined) n = n.min(spec.min);
      if (spec.max !== undefined) n = n.max(spec.max);
      return n;
    }
    case 'bool':
      // App Service writes its own flags as "True"/"False".
      return z.string().trim().toLowerCase().pipe(z.enum(['true', 'false', '1', '0'])).transform((v) => v === 'true' || v === '1');
    case 'url':
      return z.url({ protocol: /^https?$/ }).transform((v) => v.replace(/\/+$/, ''));
    case 'enum':
      return z.enum(spec.values as [string, ...string[]]);
    case 'emails':
      return z.string().transform((v) => v.split(/[;,]/).map((s) => s.trim()).filter(Boolean)).pipe(z.array(email()));
    case 'secret':
      return spec.min === undefined ? z.string().min(1) : z.string().min(spec.min, `must be at least ${spec.min} characters`);
    case 'string':
      return z.string().min(1);
    case 'ncrontab':
      // Six fields, seconds first; a classic five-field cron would be read with every field shifted.
      return z.string().trim().regex(/^[\w*/,-]+(\s+[\w*/,-]+){5}$/, 'must be NCRONTAB with six fields, seconds first (e.g. "0 */5 * * * *")');
  }
}

/** Reads and checks every setting; all problems are reported at once, one line each. */
export function loadSettings(env: Raw): Settings {
  const problems: string[] = [];
  const values: Partial<Record<SettingName, unknown>> = {};
  for (const [name, spec] of Object.entries(SETTINGS) as [SettingName, SettingSpec][]) {
    const raw = env[name]?.trim() ? env[name] : spec.default;
    if (raw === undefined) {
      if (!spec.optional) problems.push(`${name} is required: ${spec.doc}`);
      continue;
    }
    if (isKeyVaultReference(raw)) {
      problems.push(unresolvedReference(name));
      continue;
    }
    const parsed = schemaFor(spec).safeParse(raw);
    if (parsed.success) values[name] = parsed.data;
    else problems.push(`${name} ${spec.kind === 'secret' ? '(value hidden)' : `= "${raw}"`}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  // Every value below was validated against its catalog entry above.
  const v = values as { [K in SettingName]: any };
  const storage = storageFrom(v, problems);
  const emailSettings = emailFrom(v, problems);
  const sweepScope = parseSweepScope(v.SWEEP_SCOPE, problems);
  const warnDays = values.SWEEP_WARN_DAYS === undefined ? [] : parseWarnDays(v.SWEEP_WARN_DAYS, problems);
  const tickets = ticketSettingsFrom(v, problems);
  const channelMap = parseChannelMap(v.TEAMS_CHANNEL_MAP, problems);
  if (v.BOT_OPENID_METADATA_URL) checkOpenIdMetadataUrl(v.BOT_OPENID_METADATA_URL, env, problems);
  if (problems.length > 0 || !storage || !emailSettings) throw new SettingsError(problems);
  return {
    storage,
    identity: {
      authorityHost: v.AZURE_AUTHORITY_HOST,
      ...optional('clientId', v.AZURE_CLIENT_ID),
      ...optional('tenantId', v.AZURE_TENANT_ID),
      ...optional('clientSecret', v.AZURE_CLIENT_SECRET),
    },
    armEndpoint: v.ARM_ENDPOINT,
    publicBaseUrl: v.PUBLIC_BASE_URL,
    platformAuth: v.WEBSITE_AUTH_ENABLED,
    review: { signingKey: v.REVIEW_SIGNING_KEY, linkTtlHours: v.REVIEW_LINK_TTL_HOURS, fallbackApprovers: v.FALLBACK_APPROVERS },
    email: emailSettings,
    limits: {
      maxBodyBytes: v.MAX_BODY_BYTES,
      maxResourcesPerRequest: v.MAX_RESOURCES_PER_REQUEST,
      maxExpiryDays: v.MAX_EXPIRY_DAYS,
      defaultExpiryDays: v.DEFAULT_EXPIRY_DAYS,
      maxJustificationLength: v.MAX_JUSTIFICATION_LENGTH,
      defaultCategory: v.DEFAULT_EXEMPTION_CATEGORY,
      maxScopeLevel: v.MAX_SCOPE_LEVEL,
    },
    requeue: { schedule: v.REQUEUE_STUCK_SCHEDULE, stuckAfterMinutes: v.REQUEUE_STUCK_AFTER_MINUTES },
    coalesce: { windowSeconds: v.COALESCE_WINDOW_SECONDS },
    sweep: {
      schedule: v.SWEEP_SCHEDULE, scope: sweepScope, warnDays, deleteExpiredAfterDays: v.SWEEP_DELETE_EXPIRED_AFTER_DAYS,
      defenderLagHours: v.SWEEP_DEFENDER_LAG_HOURS, digestTo: v.SWEEP_DIGEST_TO,
    },
    tickets,
    ...(v.BOT_APP_ID ? {
      teams: { appId: v.BOT_APP_ID, ...optional('tenantId', v.BOT_TENANT_ID), channelMap, openIdMetadataUrl: v.BOT_OPENID_METADATA_URL },
    } : {}),
  };
}

/**
 * App Service swaps a Key Vault reference for the secret's value; when it cannot (the identity lacks
 * access, or its role assignment has not propagated yet) it passes the reference through as text. That
 * text must never become a signing key or a webhook secret, nor any other value.
 */
export function isKeyVaultReference(value: string): boolean {
  return /^@microsoft\.keyvault\(/i.test(value.trim());
}

function unresolvedReference(name: string): string {
  return `${name}: the Key Vault reference did not resolve, so App Service passed its text through instead of the secret. `
    + 'Check that the app\'s identity has the Key Vault Secrets User role on the vault (a new role assignment can take '
    + 'minutes to propagate), that the secret exists, and that the vault allows the app\'s network; then restart the app.';
}

function storageFrom(v: { [K in SettingName]?: any }, problems: string[]): Settings['storage'] | undefined {
  if (v.AzureWebJobsStorage) return { kind: 'connectionString', connectionString: v.AzureWebJobsStorage };
  const tableServiceUri = v.AzureWebJobsStorage__tableServiceUri;
  const queueServiceUri = v.AzureWebJobsStorage__queueServiceUri;
  if (tableServiceUri && queueServiceUri) {
    return { kind: 'identity', tableServiceUri, queueServiceUri, ...optional('clientId', v.AzureWebJobsStorage__clientId) };
  }
  problems.push('storage: set AzureWebJobsStorage, or both AzureWebJobsStorage__tableServiceUri and AzureWebJobsStorage__queueServiceUri');
  return undefined;
}

function emailFrom(v: { [K in SettingName]: any }, problems: string[]): Settings['email'] | undefined {
  const from: string = v.EMAIL_FROM;
  if (v.EMAIL_TRANSPORT === 'acs') {
    if (!v.ACS_ENDPOINT) {
      problems.push('ACS_ENDPOINT is required when EMAIL_TRANSPORT is "acs"');
      return undefined;
    }
    return { transport: 'acs', from, endpoint: v.ACS_ENDPOINT };
  }
  return {
    transport: 'smtp', from, host: v.SMTP_HOST, port: v.SMTP_PORT, secure: v.SMTP_SECURE,
    ...optional('user', v.SMTP_USER), ...optional('password', v.SMTP_PASSWORD),
  };
}
