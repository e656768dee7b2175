import { describe, expect, it } from 'vitest';
import { readBicep } from './bicep-decls.js';
import { armTemplate, MAIN_BICEP, readJson, readText } from './fixtures.js';

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

  it('keeps generated secrets stable across azd runs through the vault', () => {
    const seed = readJson<Params>('infra', 'main.parameters.json').parameters['secretSeed']!.value;
    expect(seed).toBe('$(secretOrRandomPassword ${AZURE_KEY_VAULT_NAME} secret-seed)');
    expect(main.outputs.has('AZURE_KEY_VAULT_NAME')).toBe(true);
    expect(readText('infra', 'modules', 'keyvault.bicep')).toContain("name: 'secret-seed'");
    // azd deploys the code itself, so provisioning must not also pull the released zip.
    expect(readJson<Params>('infra', 'main.parameters.json').parameters['packageUri']!.value).toBe('');
  });

  it('outputs the function app URL, relay name, bot id and identity principal id', () => {
    for (const name of ['FUNCTION_APP_URL', 'RELAY_LOGIC_APP_NAME', 'BOT_ID', 'IDENTITY_PRINCIPAL_ID']) {
      expect(main.outputs.get(name), name).toBe('string');
      expect(armTemplate()['outputs'], name).toHaveProperty(name);
    }
  });

  it('azuredeploy.parameters.json passes only declared parameters', () => {
    const t = armTemplate();
    for (const name of Object.keys(readJson<Params>('infra', 'azuredeploy.parameters.json').parameters)) expect(t.parameters, name).toHaveProperty(name);
  });
});
