/**
 * What makes a first deployment succeed and a redeploy harmless, checked on the templates:
 * per-environment deployment names, role assignments in effect before the host starts, secrets
 * created only when absent, a package URI that the release workflow really publishes, the azd
 * version that can deploy this app, and the relay's second stage wired into azd.
 */
import { describe, expect, it } from 'vitest';
import { PACKAGE_NAME, ZIP_PATH } from '../../../scripts/package-app.js';
import { relayDeployment } from '../../../scripts/deploy-relay.js';
import { readBicep } from './bicep-decls.js';
import { asObject, checkReferences, checkSchema, checkTargets, deploymentKey, isDeployment, moduleDeployment, nestedTemplate, scopes, type JsonObject, type Template } from './arm-template.js';
import { armTemplate, INFRA, MAIN_BICEP, readJson, readText, relayTemplate } from './fixtures.js';
import { join } from 'node:path';

const props = (r: JsonObject): JsonObject => r['properties'] as JsonObject;

/** Nested deployments whose names do not carry the environment's token. */
function sharedDeploymentNames(t: Template): string[] {
  return scopes(t)
    .flatMap((s) => s.template.resources.filter(isDeployment))
    .map((r) => String(r['name']))
    .filter((name) => !name.includes("variables('resourceToken')"));
}

/** Key Vault secrets any scope writes on every deployment. */
const unconditionalSecrets = (t: Template): string[] =>
  scopes(t).flatMap((s) => s.template.resources.filter((r) => r['type'] === 'Microsoft.KeyVault/vaults/secrets' && !('condition' in r)).map((r) => String(r['name'])));
const dependsOn = (r: JsonObject): string[] => (Array.isArray(r['dependsOn']) ? r['dependsOn'].map(String) : []);
const resource = (t: Template, type: string): JsonObject => t.resources.find((r) => r['type'] === type)!;

describe('deployment names', () => {
  it('every nested deployment of both stages is named per environment, so two environments never collide', () => {
    expect(sharedDeploymentNames(armTemplate())).toEqual([]);
    expect(sharedDeploymentNames(relayTemplate())).toEqual([]);
    expect(moduleDeployment(armTemplate(), 'roles-*-*')['name']).toBe("[format('roles-{0}-{1}', variables('roleSubscriptionIds')[copyIndex()], variables('resourceToken'))]");
    const t = armTemplate();
    moduleDeployment(t, 'storage')['name'] = 'storage';
    expect(sharedDeploymentNames(t)).toEqual(['storage']);
  });

  it('Bicep names every module with the resource token too', () => {
    for (const file of ['main.bicep', 'relay.bicep']) {
      const lines = readText('infra', file).split('\n');
      const names = lines.flatMap((l, i) => (/^module /.test(l) ? [/^\s{2}name: '(.*)'$/.exec(lines[i + 1] ?? '')?.[1]] : []));
      expect(names.length).toBe(readBicep(join(INFRA, file)).modules.length);
      for (const name of names) expect(name, `${file}: ${name}`).toMatch(/-\$\{resourceToken\}$/);
    }
  });

  it('the azd hook names its deployment after the environment', () => {
    const env = { AZURE_ENV_NAME: 'prod', AZURE_LOCATION: 'westeurope', AZURE_SUBSCRIPTION_ID: 'sub', AZURE_RESOURCE_GROUP: 'rg-prod', AZURE_FUNCTION_APP_NAME: 'func-x' };
    expect(relayDeployment(env, {}).url).toContain('/deployments/exemption-broker-relay-prod?');
    expect(relayDeployment({ ...env, AZURE_ENV_NAME: 'test' }, {}).url).toContain('/deployments/exemption-broker-relay-test?');
  });
});

describe('role assignments take effect before the host starts or pulls its package', () => {
  it('the app module waits for every module that assigns the identity a role', () => {
    const app = moduleDeployment(armTemplate(), 'functionapp');
    for (const m of ['storage', 'keyvault', 'monitoring', 'email'])
      expect(dependsOn(app).some((d) => d.includes(`format('${m}-{0}', variables('resourceToken'))`)), m).toBe(true);
    expect(readText('infra', 'main.bicep')).toMatch(/dependsOn: \[\n\s+storage\n\s+keyVault\n\s+monitoring\n\s+email\n\s+\]/);
  });

  it('the app is created only after a script, running as the app identity, proves its access', () => {
    const app = nestedTemplate(moduleDeployment(armTemplate(), 'functionapp'))!;
    const wait = resource(app, 'Microsoft.Resources/deploymentScripts');
    expect(Object.keys(asObject(asObject(wait['identity'])!['userAssignedIdentities'])!)).toEqual(["[format('{0}', parameters('identityId'))]"]);
    expect(props(wait)['scriptContent']).toBe(readText('infra', 'scripts', 'wait-for-roles.sh'));
    expect(dependsOn(resource(app, 'Microsoft.Web/sites'))).toContain("[resourceId('Microsoft.Resources/deploymentScripts', format('roles-ready-{0}', parameters('name')))]");
    expect(dependsOn(resource(app, 'Microsoft.Web/sites/extensions'))).toEqual(expect.arrayContaining(["[resourceId('Microsoft.Web/sites', parameters('name'))]"]));
    const bicep = readText('infra', 'modules', 'functionapp.bicep');
    expect(bicep).toContain("scriptContent: loadTextContent('../scripts/wait-for-roles.sh')");
    expect(bicep).toMatch(/dependsOn: \[\n\s+rolesReady\n\s+\]/);
  });
});

describe('redeploying keeps secrets', () => {
  const kv = (): Template => nestedTemplate(moduleDeployment(armTemplate(), 'keyvault'))!;

  it('writes a secret from the template only when one is passed; otherwise the script creates it if absent', () => {
    expect(unconditionalSecrets(armTemplate())).toEqual([]);
    const secrets = kv().resources.filter((r) => r['type'] === 'Microsoft.KeyVault/vaults/secrets');
    expect(secrets.map((s) => s['condition']).sort()).toEqual([
      "[not(empty(parameters('jiraApiToken')))]",
      "[not(empty(parameters('jiraWebhookSecret')))]",
      "[not(empty(parameters('reviewSigningKey')))]",
      "[not(empty(parameters('servicenowClientSecret')))]",
      "[not(empty(parameters('servicenowPassword')))]",
      "[not(empty(parameters('standardWebhookSecret')))]",
    ]);
    const script = resource(kv(), 'Microsoft.Resources/deploymentScripts');
    expect(props(script)['scriptContent']).toBe(readText('infra', 'scripts', 'ensure-secrets.sh'));
    expect(props(script)['forceUpdateTag']).toBe("[parameters('scriptRunTag')]");
    expect(kv().parameters['scriptRunTag']).toMatchObject({ defaultValue: '[utcNow()]' });
    expect(readText('infra', 'modules', 'keyvault.bicep')).toContain("scriptContent: loadTextContent('../scripts/ensure-secrets.sh')");
    // It runs as its own identity, after that identity may write the vault's secrets.
    expect(dependsOn(script).some((d) => d.includes('keyVaultSecretsOfficer'))).toBe(true);
  });

  it('fails when a secret is written unconditionally (that would rotate it on every redeploy)', () => {
    const t = armTemplate();
    const inner = nestedTemplate(moduleDeployment(t, 'keyvault'))!;
    delete inner.resources.find((r) => r['type'] === 'Microsoft.KeyVault/vaults/secrets')!['condition'];
    expect(unconditionalSecrets(t)).toEqual(["[format('{0}/{1}', parameters('name'), 'review-signing-key')]"]);
  });

  it('the app reads versionless references that exist once the module (script included) is done', () => {
    const outputs = kv()['outputs'] as JsonObject;
    const uris: Array<[string, string]> = [['reviewSigningKeyUri', 'review-signing-key'], ['jiraWebhookSecretUri', 'webhook-secret-jira'], ['standardWebhookSecretUri', 'webhook-secret-standard']];
    for (const [o, name] of uris)
      expect(asObject(outputs[o])!['value']).toBe(`[format('{0}secrets/${name}', reference(resourceId('Microsoft.KeyVault/vaults', parameters('name')), '2023-07-01').vaultUri)]`);
  });
});

describe('the package the button installs exists', () => {
  const version = readJson<{ version: string }>('package.json').version;
  const workflow = readText('.github', 'workflows', 'release.yml');

  it('packageUri is this version\'s release asset, named released-package.zip, in both templates', () => {
    const uri = `https://github.com/exemption-broker/exemption-broker/releases/download/v${version}/${PACKAGE_NAME}`;
    expect(PACKAGE_NAME).toBe('released-package.zip');
    expect(armTemplate().parameters['packageUri']!['defaultValue']).toBe(uri);
    expect(readText('infra', 'main.bicep')).toContain(`param packageUri string = '${uri}'`);
    expect(readText('infra', 'main.bicep')).not.toMatch(/releases\/latest/);
  });

  it('npm run package writes that file and the release workflow uploads it, refusing a tag other than v<version>', () => {
    expect(ZIP_PATH.replace(/\\/g, '/')).toMatch(new RegExp(`/\\.artifacts/${PACKAGE_NAME.replace('.', '\\.')}$`));
    expect(workflow).toContain(`gh release upload "$TAG" .artifacts/${PACKAGE_NAME}`);
    expect(workflow).toContain('expected="v$(node -p "require(\'./package.json\').version")"');
    expect(workflow).toMatch(/if \[ "\$TAG" != "\$expected" \]; then[\s\S]*exit 1/);
    // The upload comes after the check and the build.
    expect(workflow.indexOf('Tag matches package.json version')).toBeLessThan(workflow.indexOf('npm run package'));
    expect(workflow.indexOf('npm run package')).toBeLessThan(workflow.indexOf('gh release upload'));
  });
});

describe('azd', () => {
  const yaml = readText('azure.yaml');

  it('requires the azd that deploys a TypeScript Flex app without a remote build (1.23.12)', () => {
    expect(yaml).toMatch(/^requiredVersions:\n {2}azd: ">= 1\.23\.12"$/m);
    expect(yaml).toMatch(/^ {4}remoteBuild: false$/m);
  });

  it('runs the relay stage after deploy, with the first stage\'s names', () => {
    expect(yaml).toMatch(/^hooks:\n {2}postdeploy:\n {4}posix:\n {6}shell: sh\n {6}run: npm run relay:deploy$/m);
    expect(readJson<{ scripts: Record<string, string> }>('package.json').scripts['relay:deploy']).toBe('tsx scripts/deploy-relay.ts');
    const env = { AZURE_ENV_NAME: 'prod', AZURE_LOCATION: 'westeurope', AZURE_SUBSCRIPTION_ID: 'sub', AZURE_RESOURCE_GROUP: 'rg-custom', AZURE_FUNCTION_APP_NAME: 'func-custom', CONTINUOUS_TRIGGER_ASSESSMENT_KEYS: 'a; b' };
    const { body } = relayDeployment(env, relayTemplate());
    expect(body.properties.parameters).toEqual({
      environmentName: { value: 'prod' },
      location: { value: 'westeurope' },
      resourceGroupName: { value: 'rg-custom' },
      functionAppName: { value: 'func-custom' },
      continuousTriggerAssessmentKeys: { value: ['a', 'b'] },
    });
    for (const p of Object.keys(body.properties.parameters)) expect(relayTemplate().parameters, p).toHaveProperty(p);
    expect(() => relayDeployment({ ...env, AZURE_FUNCTION_APP_NAME: '' }, {})).toThrow('AZURE_FUNCTION_APP_NAME is not set');
    expect(readBicep(MAIN_BICEP).outputs.has('AZURE_FUNCTION_APP_NAME')).toBe(true);
  });
});

describe('the relay stage is well-formed ARM', () => {
  it('schema, references and targets; the app site is read from the first stage', () => {
    const t = relayTemplate();
    expect(checkSchema(t)).toEqual([]);
    expect(checkReferences(t)).toEqual([]);
    expect(checkTargets(t, ['Microsoft.Web/sites'])).toEqual([]);
    expect(checkTargets(t).join('\n')).toMatch(/reference\(\) target Microsoft\.Web\/sites parameters\('functionAppName'\) is not declared/);
    expect(t.resources.filter(isDeployment).map(deploymentKey)).toEqual(['relay-*']);
  });
});
