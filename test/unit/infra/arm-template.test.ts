import { describe, expect, it } from 'vitest';
import { checkReferences, checkSchema, checkTargets, moduleDeployment, nestedTemplate, resourcesOfType, type JsonObject } from './arm-template.js';
import { armTemplate } from './fixtures.js';

const props = (r: JsonObject): JsonObject => r['properties'] as JsonObject;

describe('azuredeploy.json is well-formed ARM', () => {
  it('has a subscription-scope $schema and a contentVersion in every template', () => {
    expect(checkSchema(armTemplate())).toEqual([]);
    const t = armTemplate();
    delete (t as Partial<typeof t>).$schema;
    nestedTemplate(moduleDeployment(t, 'storage'))!.contentVersion = 'one';
    expect(checkSchema(t)).toEqual([
      'root: $schema is not an ARM deployment template schema',
      '/storage-*: contentVersion missing or malformed',
      'root: expected a subscription-scope schema',
    ]);
  });

  it("resolves every parameters('x') and variables('y') in its own scope", () => {
    expect(checkReferences(armTemplate())).toEqual([]);
    const t = armTemplate();
    delete t.parameters['fallbackApprovers'];
    delete (t['variables'] as JsonObject)['tableNames'];
    expect(checkReferences(t).sort()).toEqual([
      "#resources/2/properties/parameters/tableNames/value: variables('tableNames') is not declared",
      "#resources/6/properties/parameters/fallbackApprovers/value: parameters('fallbackApprovers') is not declared",
    ]);
  });

  it('passes nested deployments exactly the parameters they declare', () => {
    const t = armTemplate();
    const storage = moduleDeployment(t, 'storage');
    (props(storage)['parameters'] as JsonObject)['extra'] = { value: 1 };
    delete (props(storage)['parameters'] as JsonObject)['principalId'];
    expect(checkReferences(t)).toEqual([
      '/storage-*: passes parameter extra that the nested template does not declare',
      '/storage-*: required parameter principalId is not passed',
    ]);
  });

  it('declares every dependsOn and reference() target, and every output a reference() reads', () => {
    expect(checkTargets(armTemplate())).toEqual([]);
    const t = armTemplate();
    const app = nestedTemplate(moduleDeployment(t, 'functionapp'))!;
    app.resources = app.resources.filter((r) => r['type'] !== 'Microsoft.Web/serverfarms');
    delete (nestedTemplate(moduleDeployment(t, 'storage'))!['outputs'] as JsonObject)['queueEndpoint'];
    expect(checkTargets(t).sort()).toEqual([
      "/functionapp-*: dependsOn [resourceId('Microsoft.Web/serverfarms', parameters('planName'))] is not declared in the template",
      "#resources/6/properties/parameters/storageQueueEndpoint/value: output queueEndpoint is not declared by deployment [format('storage-{0}', variables('resourceToken'))]",
    ].sort());
  });
});

describe('resources are configured as the app needs', () => {
  const t = armTemplate();
  const one = (type: string): JsonObject => {
    const found = resourcesOfType(t, type);
    expect(found).toHaveLength(1);
    return found[0]!.resource;
  };

  it('runs on a Flex Consumption plan with Node 22 and identity-based deployment storage', () => {
    const plan = one('Microsoft.Web/serverfarms');
    expect(plan['sku']).toEqual({ name: 'FC1', tier: 'FlexConsumption' });
    expect(props(plan)['reserved']).toBe(true);
    const site = one('Microsoft.Web/sites');
    expect(site['kind']).toBe('functionapp,linux');
    const config = props(site)['functionAppConfig'] as JsonObject;
    expect(config['runtime']).toEqual({ name: 'node', version: '22' });
    const storage = (config['deployment'] as JsonObject)['storage'] as JsonObject;
    expect(storage['authentication']).toEqual({ type: 'UserAssignedIdentity', userAssignedIdentityResourceId: "[parameters('identityId')]" });
    expect(props(site)['keyVaultReferenceIdentity']).toBe("[parameters('identityId')]");
    expect(props(site)['httpsOnly']).toBe(true);
  });

  it('installs the released package with onedeploy when packageUri is given', () => {
    const deploy = one('Microsoft.Web/sites/extensions');
    expect(deploy['name']).toBe("[format('{0}/{1}', parameters('name'), 'onedeploy')]");
    expect(deploy['condition']).toBe("[not(empty(parameters('packageUri')))]");
    expect(props(deploy)['packageUri']).toBe("[parameters('packageUri')]");
    expect(String(t.parameters['packageUri']!['defaultValue'])).toMatch(/^https:\/\/.+\.zip$/);
  });

  it('locks storage down: no shared keys, TLS 1.2, private deployment container', () => {
    const p = props(one('Microsoft.Storage/storageAccounts'));
    expect(p['allowSharedKeyAccess']).toBe(false);
    expect(p['minimumTlsVersion']).toBe('TLS1_2');
    expect(p['allowBlobPublicAccess']).toBe(false);
    expect(props(one('Microsoft.Storage/storageAccounts/blobServices/containers'))['publicAccess']).toBe('None');
  });

  it('keeps Key Vault in RBAC mode and Application Insights without local auth', () => {
    expect(props(one('Microsoft.KeyVault/vaults'))['enableRbacAuthorization']).toBe(true);
    expect(props(one('Microsoft.Insights/components'))['DisableLocalAuth']).toBe(true);
  });

  it('takes no secret seed: secrets left empty are generated in Azure, not from template values', () => {
    expect(t.parameters).not.toHaveProperty('secretSeed');
    for (const p of ['reviewSigningKey', 'jiraWebhookSecret', 'standardWebhookSecret'])
      expect(t.parameters[p]).toMatchObject({ type: 'securestring', defaultValue: '' });
    expect(JSON.stringify(t)).not.toMatch(/newGuid\(\)/);
  });
});
