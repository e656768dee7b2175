import { describe, expect, it } from 'vitest';
import { readBicep } from './bicep-decls.js';
import { join } from 'node:path';
import { armTemplate, INFRA, MAIN_BICEP, readJson, readText } from './fixtures.js';

type Params = { parameters: Record<string, { value: unknown }> };

describe('azd up and the parameter files', () => {
  const main = readBicep(MAIN_BICEP);

  it('azure.yaml deploys the function service from the packaged stage', () => {
    const yaml = readText('azure.yaml');
    for (const line of ['  api:', '    project: .', '    language: ts', '    host: function', '    dist: .artifacts/stage', '          run: npm run package'])
      expect(yaml.split('\n')).toContain(line);
    // azd finds the app by this tag; the service above is called api.
    expect(readText('infra', 'modules', 'functionapp.bicep')).toContain("tags: union(tags, { 'azd-service-name': 'api' })");
  });

  it('main.parameters.json passes only declared parameters and every required one', () => {
    const given = Object.keys(readJson<Params>('infra', 'main.parameters.json').parameters);
    for (const name of given) expect(main.params.has(name), name).toBe(true);
    for (const [name, p] of main.params) if (!p.hasDefault) expect(given, name).toContain(name);
  });

  it('passes no secret seed: the vault keeps the secrets, azd only provisions', () => {
    const given = readJson<Params>('infra', 'main.parameters.json').parameters;
    expect(given).not.toHaveProperty('secretSeed');
    expect(JSON.stringify(given)).not.toContain('secretOrRandomPassword');
    // azd deploys the code itself, so provisioning must not also pull the released zip.
    expect(given['packageUri']!.value).toBe('');
  });

  it('outputs what the second stage and people need: app name and URL, resource group, bot id, identity', () => {
    for (const name of ['AZURE_FUNCTION_APP_NAME', 'AZURE_RESOURCE_GROUP', 'FUNCTION_APP_URL', 'BOT_ID', 'IDENTITY_PRINCIPAL_ID']) {
      expect(main.outputs.get(name), name).toBe('string');
      expect(armTemplate()['outputs'], name).toHaveProperty(name);
    }
    expect(readBicep(join(INFRA, 'relay.bicep')).outputs.get('RELAY_LOGIC_APP_NAME')).toBe('string');
  });

  it('azuredeploy.parameters.json passes only declared parameters', () => {
    const t = armTemplate();
    for (const name of Object.keys(readJson<Params>('infra', 'azuredeploy.parameters.json').parameters)) expect(t.parameters, name).toHaveProperty(name);
  });
});
