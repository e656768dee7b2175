import { describe, expect, it } from 'vitest';
import { parseBicep } from './bicep-decls.js';
import { moduleDeployment, nestedTemplate, type JsonObject } from './arm-template.js';
import { armTemplate, INFRA, MAIN_BICEP, readJson, relayTemplate } from './fixtures.js';
import { join } from 'node:path';
import { armShape, bicepShape, diffShapes } from './shape.js';

describe('main.bicep (+ modules) and azuredeploy.json declare the same deployment', () => {
  it('same parameters, outputs, resource types + api-versions, overall and per module', () => {
    const bicep = bicepShape(MAIN_BICEP);
    expect(Object.keys(bicep.modules).sort()).toEqual(
      ['bot-*', 'email-*', 'functionapp-*', 'identity-*', 'keyvault-*', 'monitoring-*', 'roles-*-*', 'storage-*'],
    );
    expect(bicep.allTypes.length).toBeGreaterThan(20);
    expect(diffShapes(bicep, armShape(armTemplate()))).toEqual([]);
  });

  it('the relay stage: relay.bicep and azuredeploy-relay.json declare the same deployment', () => {
    const bicep = bicepShape(join(INFRA, 'relay.bicep'));
    expect(Object.keys(bicep.modules)).toEqual(['relay-*']);
    expect(bicep.allTypes).toContain('microsoft.web/sites/functions/keys@2024-04-01');
    expect(diffShapes(bicep, armShape(relayTemplate()), 'relay.bicep', 'azuredeploy-relay.json')).toEqual([]);
    const t = relayTemplate();
    delete t.parameters['continuousTriggerAssessmentKeys'];
    expect(diffShapes(bicep, armShape(t), 'relay.bicep', 'azuredeploy-relay.json')).toEqual([
      'parameter continuousTriggerAssessmentKeys: only in relay.bicep',
    ]);
  });

  it('reports a parameter, api-version or resource that drifts', () => {
    const t = armTemplate();
    delete t.parameters['botName'];
    t.parameters['defaultExpiryDays']!['type'] = 'string';
    const storage = nestedTemplate(moduleDeployment(t, 'storage'))!;
    storage.resources[0]!['apiVersion'] = '2022-09-01';
    const keyvault = nestedTemplate(moduleDeployment(t, 'keyvault'))!;
    keyvault.resources = keyvault.resources.filter((r) => r['type'] !== 'Microsoft.Resources/deploymentScripts');
    delete (nestedTemplate(moduleDeployment(t, 'bot'))!['outputs'] as JsonObject)['appId'];
    expect(diffShapes(bicepShape(MAIN_BICEP), armShape(t))).toEqual([
      'parameter botName: only in main.bicep',
      'parameter defaultExpiryDays: type int in main.bicep, string in azuredeploy.json',
      'resource type microsoft.storage/storageaccounts@2023-05-01: only in main.bicep (with modules)',
      'resource type microsoft.storage/storageaccounts@2022-09-01: only in azuredeploy.json (with nested templates)',
      'module bot-*: output appId: string in main.bicep, absent in azuredeploy.json',
      'module keyvault-*: resource microsoft.resources/deploymentscripts@2023-08-01: only in main.bicep',
      'module storage-*: resource microsoft.storage/storageaccounts@2023-05-01: only in main.bicep',
      'module storage-*: resource microsoft.storage/storageaccounts@2022-09-01: only in azuredeploy.json',
    ]);
  });

  it('keeps the inlined abbreviations equal to infra/abbreviations.json', () => {
    expect((armTemplate()['variables'] as JsonObject)['abbrs']).toEqual(readJson('infra', 'abbreviations.json'));
  });
});

describe('the Bicep declaration reader', () => {
  const file = parseBicep([
    "targetScope = 'subscription'",
    '// param commented string',
    "@description('x')",
    '@secure()',
    "param key string = ''",
    '@allowed([',
    "  'A'",
    "  'B c'",
    '])',
    "param pick string = 'A'",
    'param count int',
    "resource st 'Microsoft.Storage/storageAccounts@2023-05-01' = {",
    "resource old 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {",
    "resource qs 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for q in qs: {",
    "resource c 'Microsoft.Web/sites/extensions@2024-04-01' = if (!empty(x)) {",
    "module roles 'modules/roles.bicep' = [for s in subs: {",
    "  name: 'roles-${s}'",
    "output URL string = 'https://${x}'",
  ].join('\n'));

  it('reads params with @secure and @allowed, non-existing resources, loops, conditions, modules and outputs', () => {
    expect(file.targetScope).toBe('subscription');
    expect(Object.fromEntries(file.params)).toEqual({
      key: { type: 'securestring', hasDefault: true },
      pick: { type: 'string', hasDefault: true, allowed: ['A', 'B c'] },
      count: { type: 'int', hasDefault: false },
    });
    expect(file.resources.map((r) => `${r.type}@${r.apiVersion}`)).toEqual([
      'Microsoft.Storage/storageAccounts@2023-05-01',
      'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01',
      'Microsoft.Web/sites/extensions@2024-04-01',
    ]);
    expect(file.modules).toEqual([{ symbol: 'roles', path: 'modules/roles.bicep', name: 'roles-*' }]);
    expect(Object.fromEntries(file.outputs)).toEqual({ URL: 'string' });
  });
});
