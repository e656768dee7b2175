import { describe, expect, it } from 'vitest';
import { SETTING_NAMES, SETTINGS } from '../../../lib/config/settings-catalog.js';
import { loadSettings, SettingsError } from '../../../lib/config/settings.js';

const SIGNING_KEY = 'k'.repeat(16) + '-signing-key-for-tests';
const MINIMAL = { AzureWebJobsStorage: 'UseDevelopmentStorage=true', REVIEW_SIGNING_KEY: SIGNING_KEY, EMAIL_TRANSPORT: 'smtp' };

/** The problems of a settings set that must not load. */
function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  let thrown: unknown;
  try {
    loadSettings(env);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(SettingsError);
  return (thrown as SettingsError).problems;
}

function mentioning(problems: readonly string[], name: string): string[] {
  return problems.filter((p) => p.includes(name));
}

describe('loadSettings: a valid environment', () => {
  it('loads a minimal environment with the catalog defaults', () => {
    const settings = loadSettings(MINIMAL);
    expect(settings.storage).toEqual({ kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' });
    expect(settings.identity).toEqual({ authorityHost: SETTINGS.AZURE_AUTHORITY_HOST.default });
    expect(settings.armEndpoint).toBe(SETTINGS.ARM_ENDPOINT.default);
    expect(settings.publicBaseUrl).toBe(SETTINGS.PUBLIC_BASE_URL.default);
    expect(settings.review).toEqual({ signingKey: SIGNING_KEY, linkTtlHours: Number(SETTINGS.REVIEW_LINK_TTL_HOURS.default), fallbackApprovers: [] });
    expect(settings.email).toEqual({
      transport: 'smtp',
      from: SETTINGS.EMAIL_FROM.default,
      host: SETTINGS.SMTP_HOST.default,
      port: Number(SETTINGS.SMTP_PORT.default),
      secure: false,
    });
    expect(settings.limits).toEqual({
      maxBodyBytes: Number(SETTINGS.MAX_BODY_BYTES.default),
      maxResourcesPerRequest: Number(SETTINGS.MAX_RESOURCES_PER_REQUEST.default),
      maxExpiryDays: Number(SETTINGS.MAX_EXPIRY_DAYS.default),
      defaultExpiryDays: Number(SETTINGS.DEFAULT_EXPIRY_DAYS.default),
      maxJustificationLength: Number(SETTINGS.MAX_JUSTIFICATION_LENGTH.default),
      defaultCategory: SETTINGS.DEFAULT_EXEMPTION_CATEGORY.default,
      maxScopeLevel: 'resourceGroup',
    });
  });

  it('uses the values it is given over the defaults', () => {
    const settings = loadSettings({
      ...MINIMAL,
      ARM_ENDPOINT: 'https://localhost:8443/',
      PUBLIC_BASE_URL: 'https://broker.contoso.com',
      MAX_BODY_BYTES: '2048',
      MAX_RESOURCES_PER_REQUEST: '3',
      MAX_EXPIRY_DAYS: '30',
      DEFAULT_EXPIRY_DAYS: '7',
      MAX_JUSTIFICATION_LENGTH: '100',
      DEFAULT_EXEMPTION_CATEGORY: 'Mitigated',
      REVIEW_LINK_TTL_HOURS: '24',
      SMTP_HOST: 'smtp.contoso.com',
      SMTP_PORT: '2525',
      SMTP_SECURE: 'true',
      MAX_SCOPE_LEVEL: 'subscription',
      SMTP_USER: 'mailer',
      SMTP_PASSWORD: 'pw',
      AZURE_CLIENT_ID: 'cid',
      AZURE_TENANT_ID: 'tid',
      AZURE_CLIENT_SECRET: 'shh',
    });
    expect(settings.armEndpoint).toBe('https://localhost:8443');
    expect(settings.publicBaseUrl).toBe('https://broker.contoso.com');
    expect(settings.limits).toEqual({
      maxBodyBytes: 2048, maxResourcesPerRequest: 3, maxExpiryDays: 30, defaultExpiryDays: 7, maxJustificationLength: 100, defaultCategory: 'Mitigated', maxScopeLevel: 'subscription',
    });
    expect(settings.review.linkTtlHours).toBe(24);
    expect(settings.email).toEqual({ transport: 'smtp', from: 'exemption-broker@localhost', host: 'smtp.contoso.com', port: 2525, secure: true, user: 'mailer', password: 'pw' });
    expect(settings.identity).toEqual({ authorityHost: 'https://login.microsoftonline.com', clientId: 'cid', tenantId: 'tid', clientSecret: 'shh' });
  });

  it('reads the stuck-request timer settings, defaulting to every five minutes and 15 minutes idle', () => {
    expect(loadSettings(MINIMAL).requeue).toEqual({ schedule: '0 */5 * * * *', stuckAfterMinutes: 15 });
    expect(loadSettings({ ...MINIMAL, REQUEUE_STUCK_SCHEDULE: '30 0 * * * *', REQUEUE_STUCK_AFTER_MINUTES: '60' }).requeue)
      .toEqual({ schedule: '30 0 * * * *', stuckAfterMinutes: 60 });
  });

  it('treats a blank value as absent', () => {
    expect(loadSettings({ ...MINIMAL, ARM_ENDPOINT: '   ', MAX_BODY_BYTES: '' }).armEndpoint).toBe('https://management.azure.com');
  });

  it('uses identity-based storage when both service URIs are set', () => {
    const { AzureWebJobsStorage: _omit, ...rest } = MINIMAL;
    const settings = loadSettings({
      ...rest,
      AzureWebJobsStorage__tableServiceUri: 'https://stbroker.table.core.windows.net/',
      AzureWebJobsStorage__queueServiceUri: 'https://stbroker.queue.core.windows.net',
      AzureWebJobsStorage__clientId: 'uami-client-id',
    });
    expect(settings.storage).toEqual({
      kind: 'identity',
      tableServiceUri: 'https://stbroker.table.core.windows.net',
      queueServiceUri: 'https://stbroker.queue.core.windows.net',
      clientId: 'uami-client-id',
    });
  });

  it('selects Azure Communication Services with its endpoint', () => {
    const settings = loadSettings({ ...MINIMAL, EMAIL_TRANSPORT: 'acs', ACS_ENDPOINT: 'https://broker.communication.azure.com', EMAIL_FROM: 'DoNotReply@contoso.com' });
    expect(settings.email).toEqual({ transport: 'acs', from: 'DoNotReply@contoso.com', endpoint: 'https://broker.communication.azure.com' });
  });

  it('splits FALLBACK_APPROVERS on ";" and ",", trims and lower-cases', () => {
    const settings = loadSettings({ ...MINIMAL, FALLBACK_APPROVERS: ' Sec@Contoso.com; ops@contoso.com ,CISO@Contoso.COM;; ' });
    expect(settings.review.fallbackApprovers).toEqual(['sec@contoso.com', 'ops@contoso.com', 'ciso@contoso.com']);
  });

  it('knows every setting it reads from the catalog', () => {
    expect(SETTING_NAMES).toEqual(expect.arrayContaining(['AzureWebJobsStorage', 'REVIEW_SIGNING_KEY', 'EMAIL_TRANSPORT', 'FALLBACK_APPROVERS', 'ARM_ENDPOINT', 'MAX_BODY_BYTES']));
  });
});

describe('loadSettings: bad values are reported by setting name', () => {
  it('reports a signing key that is too short without revealing it', () => {
    const secret = 'short-but-secret-value';
    let thrown: unknown;
    try {
      loadSettings({ ...MINIMAL, REVIEW_SIGNING_KEY: secret });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SettingsError);
    const error = thrown as SettingsError;
    expect(mentioning(error.problems, 'REVIEW_SIGNING_KEY')).toHaveLength(1);
    expect(error.message).toContain('REVIEW_SIGNING_KEY');
    expect(error.message).not.toContain(secret);
    expect(error.problems.join('\n')).not.toContain(secret);
  });

  it('reports a missing signing key', () => {
    const { REVIEW_SIGNING_KEY: _omit, ...rest } = MINIMAL;
    expect(mentioning(problemsOf(rest), 'REVIEW_SIGNING_KEY')).toHaveLength(1);
  });

  it.each<[string, Record<string, string>, string]>([
    ['MAX_BODY_BYTES that is not a number', { MAX_BODY_BYTES: 'lots' }, 'MAX_BODY_BYTES'],
    ['MAX_BODY_BYTES below its minimum', { MAX_BODY_BYTES: '10' }, 'MAX_BODY_BYTES'],
    ['SMTP_PORT that is not an integer', { SMTP_PORT: '25.5' }, 'SMTP_PORT'],
    ['an EMAIL_TRANSPORT that does not exist', { EMAIL_TRANSPORT: 'pigeon' }, 'EMAIL_TRANSPORT'],
    ['FALLBACK_APPROVERS with a non-email', { FALLBACK_APPROVERS: 'sec@contoso.com;security team' }, 'FALLBACK_APPROVERS'],
    ['ARM_ENDPOINT that is not a URL', { ARM_ENDPOINT: 'not a url' }, 'ARM_ENDPOINT'],
    ['ARM_ENDPOINT with a scheme other than http(s)', { ARM_ENDPOINT: 'ftp://management.azure.com' }, 'ARM_ENDPOINT'],
    ['EMAIL_TRANSPORT=acs without ACS_ENDPOINT', { EMAIL_TRANSPORT: 'acs' }, 'ACS_ENDPOINT'],
    ['SMTP_SECURE that is not a boolean', { SMTP_SECURE: 'yes' }, 'SMTP_SECURE'],
    ['an unknown DEFAULT_EXEMPTION_CATEGORY', { DEFAULT_EXEMPTION_CATEGORY: 'Exempt' }, 'DEFAULT_EXEMPTION_CATEGORY'],
    ['a five-field (classic cron) REQUEUE_STUCK_SCHEDULE', { REQUEUE_STUCK_SCHEDULE: '*/5 * * * *' }, 'REQUEUE_STUCK_SCHEDULE'],
    ['REQUEUE_STUCK_AFTER_MINUTES shorter than an apply can take', { REQUEUE_STUCK_AFTER_MINUTES: '1' }, 'REQUEUE_STUCK_AFTER_MINUTES'],
  ])('reports %s', (_label, bad, name) => {
    expect(mentioning(problemsOf({ ...MINIMAL, ...bad }), name)).toHaveLength(1);
  });

  it('reports missing storage, naming the settings that provide it', () => {
    const { AzureWebJobsStorage: _omit, ...rest } = MINIMAL;
    expect(mentioning(problemsOf(rest), 'AzureWebJobsStorage')).not.toHaveLength(0);
  });

  it('reports identity storage with only one service URI as missing storage', () => {
    const { AzureWebJobsStorage: _omit, ...rest } = MINIMAL;
    const problems = problemsOf({ ...rest, AzureWebJobsStorage__tableServiceUri: 'https://stbroker.table.core.windows.net' });
    expect(mentioning(problems, 'AzureWebJobsStorage__queueServiceUri')).not.toHaveLength(0);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ ...MINIMAL, MAX_BODY_BYTES: 'lots', ARM_ENDPOINT: 'not a url' });
    expect(mentioning(problems, 'MAX_BODY_BYTES')).toHaveLength(1);
    expect(mentioning(problems, 'ARM_ENDPOINT')).toHaveLength(1);
  });

  it('lists each problem on its own line in the error message', () => {
    let message = '';
    try {
      loadSettings({ MAX_BODY_BYTES: 'lots', EMAIL_TRANSPORT: 'pigeon' });
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = message.split('\n').filter((line) => line.startsWith('- '));
    expect(lines.some((l) => l.includes('MAX_BODY_BYTES'))).toBe(true);
    expect(lines.some((l) => l.includes('EMAIL_TRANSPORT'))).toBe(true);
    expect(lines.some((l) => l.includes('REVIEW_SIGNING_KEY'))).toBe(true);
    expect(lines.some((l) => l.includes('AzureWebJobsStorage'))).toBe(true);
  });
});

describe('loadSettings: an unresolved Key Vault reference is not a value', () => {
  const REFERENCE = '@Microsoft.KeyVault(SecretUri=https://kv-broker.vault.azure.net/secrets/review-signing-key/)';

  it('refuses REVIEW_SIGNING_KEY passed through as reference text, though it is long enough to pass as a key', () => {
    expect(REFERENCE.length).toBeGreaterThan(SETTINGS.REVIEW_SIGNING_KEY.min);
    const problems = mentioning(problemsOf({ ...MINIMAL, REVIEW_SIGNING_KEY: REFERENCE }), 'REVIEW_SIGNING_KEY');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/Key Vault reference did not resolve/);
    expect(problems[0]).toMatch(/Key Vault Secrets User/);
    expect(problems[0]).toMatch(/propagat/);
  });

  it.each([
    ['any casing and surrounding blanks', `  @microsoft.keyvault(VaultName=kv-broker;SecretName=jira)  `],
    ['the SecretUri form', '@Microsoft.KeyVault(SecretUri=https://kv-broker.vault.azure.net/secrets/jira/)'],
  ])('refuses a webhook secret setting given as an unresolved reference (%s)', (_label, value) => {
    const secretSettings = SETTING_NAMES.filter((name) => name.startsWith('WEBHOOK_SECRET_') && SETTINGS[name].kind === 'secret');
    expect(secretSettings).not.toHaveLength(0);
    for (const name of secretSettings) {
      const problems = mentioning(problemsOf({ ...MINIMAL, [name]: value }), name);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/Key Vault reference did not resolve/);
    }
  });

  it('refuses a non-secret setting given as an unresolved reference, which would otherwise pass as text', () => {
    expect(loadSettings({ ...MINIMAL, SMTP_HOST: 'KeyVault.example' }).email).toMatchObject({ host: 'KeyVault.example' });
    const problems = mentioning(problemsOf({ ...MINIMAL, SMTP_HOST: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/smtp-host/)' }), 'SMTP_HOST');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/Key Vault reference did not resolve/);
  });

  it('does not print the reference text', () => {
    const problems = problemsOf({ ...MINIMAL, REVIEW_SIGNING_KEY: REFERENCE });
    expect(problems.join('\n')).not.toContain('kv-broker');
  });
});
