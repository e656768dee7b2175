import { describe, expect, it } from 'vitest';
import { SETTINGS, STORAGE_NAMES } from '../../../lib/config/settings-catalog.js';
import { armAppSettings, bicepAppSettingNames, checkSettings, type SettingsRules } from './app-settings.js';
import { moduleDeployment, nestedTemplate, type JsonObject } from './arm-template.js';
import { armTemplate, readText } from './fixtures.js';

const RULES: SettingsRules = {
  // Read by the Functions host or the platform, not by our code.
  hostOwned: [
    'AzureWebJobsStorage__credential',
    'AzureWebJobsStorage__blobServiceUri',
    'APPLICATIONINSIGHTS_CONNECTION_STRING',
    'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
    'NODE_OPTIONS', // read by Node itself: the worker's heap cap
  ],
  // Read by the code but deliberately unset in Azure. Settings with a catalog default may also
  // be omitted (the default is what Azure wants); everything else must be set by the template.
  leftToLocal: [
    'AzureWebJobsStorage', // a connection string; Azure uses the identity-based AzureWebJobsStorage__* instead
    'AZURE_CLIENT_SECRET', // local runs only; in Azure the managed identity (AZURE_CLIENT_ID) signs in
    'AZURE_TENANT_ID', // only needed with AZURE_CLIENT_SECRET
    'SMTP_USER', // EMAIL_TRANSPORT is acs in Azure, so SMTP credentials are never used
    'SMTP_PASSWORD',
  ],
};

const catalog = SETTINGS as unknown as Record<string, { kind: string; default?: string }>;

describe('app settings agree with lib/config/settings-catalog.ts', () => {
  const settings = armAppSettings(armTemplate());

  it('sets every setting the code reads, and only settings the code or the host reads', () => {
    expect(Object.keys(settings).length).toBeGreaterThan(10);
    expect(checkSettings(settings, catalog, RULES)).toEqual([]);
  });

  it('fails when a setting is renamed on either side', () => {
    const renamed: Record<string, string> = { ...settings, EMAIL_SENDER: settings['EMAIL_FROM']!, ACS_URL: settings['ACS_ENDPOINT']! };
    delete renamed['ACS_ENDPOINT'];
    expect(checkSettings(renamed, catalog, RULES)).toEqual([
      'app setting EMAIL_SENDER is not read by the code',
      'app setting ACS_URL is not read by the code',
      'setting ACS_ENDPOINT is read by the code but not set by the template',
    ]);
    const grown = { ...catalog, NEW_REQUIRED_SETTING: { kind: 'string' } };
    expect(checkSettings(settings, grown, RULES)).toEqual(['setting NEW_REQUIRED_SETTING is read by the code but not set by the template']);
  });

  it('keeps secrets in Key Vault and local-only settings out of Azure', () => {
    for (const name of Object.keys(catalog).filter((n) => catalog[n]!.kind === 'secret' && n in settings))
      expect(settings[name]).toMatch(/^\[format\('@Microsoft\.KeyVault\(SecretUri=\{0\}\)', parameters\('\w+Uri'\)\)\]$/);
    const leaked = { ...settings, REVIEW_SIGNING_KEY: 'plain-text-key', AZURE_CLIENT_SECRET: 'x' };
    expect(checkSettings(leaked, catalog, RULES)).toEqual([
      'setting AZURE_CLIENT_SECRET is meant for local runs but the template sets it',
      'secret AZURE_CLIENT_SECRET is not a Key Vault reference',
      'secret REVIEW_SIGNING_KEY is not a Key Vault reference',
    ]);
  });

  it('sets nothing Flex Consumption rejects', () => {
    const bad = { ...settings, FUNCTIONS_WORKER_RUNTIME: 'node', WEBSITE_RUN_FROM_PACKAGE: '1' };
    expect(checkSettings(bad, catalog, RULES)).toEqual([
      'app setting FUNCTIONS_WORKER_RUNTIME is not read by the code',
      'app setting FUNCTIONS_WORKER_RUNTIME is rejected by Flex Consumption',
      'app setting WEBSITE_RUN_FROM_PACKAGE is not read by the code',
      'app setting WEBSITE_RUN_FROM_PACKAGE is rejected by Flex Consumption',
    ]);
  });

  it('wires the Azure values: ACS with the managed domain sender, identity storage, the public URL', () => {
    expect(settings['EMAIL_TRANSPORT']).toBe('acs');
    expect(settings['AzureWebJobsStorage__credential']).toBe('managedidentity');
    expect(settings['PUBLIC_BASE_URL']).toBe("[format('https://{0}', reference(resourceId('Microsoft.Web/sites', parameters('name')), '2024-04-01').defaultHostName)]");
    expect(settings['APPLICATIONINSIGHTS_AUTHENTICATION_STRING']).toBe("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]");
    const t = armTemplate();
    const given = (p: string): string =>
      String((((moduleDeployment(t, 'functionapp')['properties'] as JsonObject)['parameters'] as JsonObject)[p] as JsonObject)['value']);
    expect(given('emailFrom')).toContain("format('email-{0}', variables('resourceToken'))), '2022-09-01').outputs.senderAddress.value");
    expect(given('acsEndpoint')).toContain("format('email-{0}', variables('resourceToken'))), '2022-09-01').outputs.endpoint.value");
    const email = nestedTemplate(moduleDeployment(t, 'email'))!;
    expect(JSON.stringify((email['outputs'] as JsonObject)['senderAddress'])).toContain("format('DoNotReply@{0}'");
  });

  it('main.bicep sets the same settings as azuredeploy.json', () => {
    const bicep = bicepAppSettingNames(readText('infra', 'modules', 'functionapp.bicep'));
    expect(bicep.sort()).toEqual(Object.keys(settings).sort());
  });

  it('creates exactly the tables and queues the app uses', () => {
    const vars = armTemplate()['variables'] as JsonObject;
    const tables = Object.entries(STORAGE_NAMES).filter(([k]) => k.endsWith('Table')).map(([, v]) => v);
    const queues = Object.entries(STORAGE_NAMES).filter(([k]) => k.endsWith('Queue')).map(([, v]) => v);
    expect(tables.length + queues.length).toBe(Object.keys(STORAGE_NAMES).length);
    expect([...(vars['tableNames'] as string[])].sort()).toEqual([...tables].sort());
    expect([...(vars['queueNames'] as string[])].sort()).toEqual([...queues].sort());
    const bicep = readText('infra', 'main.bicep');
    const list = (name: string): string[] =>
      [...(new RegExp(`var ${name} = \\[([^\\]]*)\\]`).exec(bicep)?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    expect(list('tableNames').sort()).toEqual([...tables].sort());
    expect(list('queueNames').sort()).toEqual([...queues].sort());
  });
});
