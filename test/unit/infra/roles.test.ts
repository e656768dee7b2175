import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { asObject, resourcesOfType, scopes, type JsonObject } from './arm-template.js';
import { armTemplate, INFRA, readText } from './fixtures.js';
import { BUILT_IN_ROLES, customRoles, grants, TOO_BROAD } from './roles.js';

// What the identity may do, and nothing broader (scope: role).
const EXPECTED = [
  'subscription: securityReader', // security contacts, assessments
  'subscription: policyExemptionWriterRoleId', // custom: exactly the exemption actions
  'subscription: reader', // Resource Graph (requests and the nightly sweep), assignments and set definitions
  'subscription: policyEvaluationTriggerRoleId', // custom: only the Policy Insights evaluation trigger (sweep)
  'subscription: policyExemptionRemoverRoleId', // custom, only when the sweep deletes expired exemptions
  'Microsoft.Storage/storageAccounts: storageBlobDataOwner', // host storage, Flex package container
  'Microsoft.Storage/storageAccounts: storageQueueDataContributor', // notify, apply and sweep queues
  'Microsoft.Storage/storageAccounts: storageTableDataContributor', // request store, sweep runs and findings
  'Microsoft.Insights/components: monitoringMetricsPublisher', // telemetry with local auth off
  'Microsoft.KeyVault/vaults: keyVaultSecretsUser', // Key Vault references
  'Microsoft.Communication/communicationServices: communicationAndEmailServiceOwner', // send email as the identity
];

/** The custom role's actions: what creating and reading an exemption needs, nothing else (deleting is the remover's). */
export const EXEMPTION_WRITER_ACTIONS = [
  'Microsoft.Authorization/policyExemptions/read',
  'Microsoft.Authorization/policyExemptions/write',
  'Microsoft.Authorization/policyAssignments/exempt/action',
];

const APP = "parameters('principalId')";
const WRITER = "reference(resourceid('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('secretsWriterName')), '2023-01-31').principalId";

describe('role assignments', () => {
  it('use built-in role ids that match their names or a custom role the template defines, named guid(scope, principal, role)', () => {
    const { problems, grants: list } = grants(armTemplate());
    expect(problems).toEqual([]);
    expect(list.length).toBe(EXPECTED.length + 2);
  });

  it('give the app identity exactly the least-privilege set', () => {
    const app = grants(armTemplate()).grants.filter((g) => g.principal === APP);
    expect(app.map((g) => `${g.scope}: ${g.roleKey}`).sort()).toEqual([...EXPECTED].sort());
    // The only other grants: the secret-creating script's identity and the optional deployer, on the vault.
    const others = grants(armTemplate()).grants.filter((g) => g.principal !== APP);
    expect(others.map((g) => `${g.scope}: ${g.roleKey}: ${g.principal}${g.conditional ? ' (optional)' : ''}`).sort()).toEqual([
      `Microsoft.KeyVault/vaults: keyVaultSecretsOfficer: ${WRITER}`,
      "Microsoft.KeyVault/vaults: keyVaultSecretsOfficer: parameters('deployerPrincipalId') (optional)",
    ].sort());
  });

  it('write exemptions through a custom role with exactly the exemption actions, at its own subscription', () => {
    const [writer] = grants(armTemplate()).grants.filter((g) => g.custom);
    expect(writer!.custom).toEqual({
      variable: 'policyExemptionWriterRoleId',
      actions: EXEMPTION_WRITER_ACTIONS,
      notActions: [],
      dataActions: [],
      notDataActions: [],
      assignableScopes: ['[subscription().id]'],
      type: 'CustomRole',
    });
    // One definition per environment and subscription (role names are unique in a tenant).
    const roles = scopes(armTemplate()).find((s) => s.path === '/roles-*-*')!;
    const vars = asObject(roles.template['variables'])!;
    expect(vars['policyExemptionWriterRoleId']).toBe("[guid(subscription().id, 'exemption-broker-policy-exemption-writer', parameters('environmentToken'))]");
    const [def] = resourcesOfType(armTemplate(), 'Microsoft.Authorization/roleDefinitions');
    expect(asObject(def!.resource['properties'])!['roleName']).toBe("[format('Policy exemption writer (exemption-broker {0})', parameters('environmentToken'))]");
    // Bicep declares the same actions.
    const bicep = readText('infra', 'modules', 'roles-subscription.bicep');
    const list = [...(/var policyExemptionWriterActions = \[([^\]]*)\]/.exec(bicep)?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);
    expect(list).toEqual(EXEMPTION_WRITER_ACTIONS);
  });

  it('fail when the custom role grows or Resource Policy Contributor comes back', () => {
    const t = armTemplate();
    const roles = scopes(t).find((s) => s.path === '/roles-*-*')!;
    (asObject(roles.template['variables'])!['policyExemptionWriterActions'] as string[]).push('Microsoft.Authorization/policyAssignments/write');
    expect(customRoles(roles).get('policyExemptionWriterRoleId')!.actions).not.toEqual(EXEMPTION_WRITER_ACTIONS);
    asObject(roles.template['variables'])!['roleIds'] = { ...(asObject(roles.template['variables'])!['roleIds'] as JsonObject), resourcePolicyContributor: '36243c78-bf99-498c-9df9-86d9f8d28608' };
    const assignment = roles.template.resources.find((r) => r['type'] === 'Microsoft.Authorization/roleAssignments' && String(r['name']).includes('policyExemptionWriterRoleId'))!;
    assignment['name'] = "[guid(subscription().id, parameters('principalId'), variables('roleIds').resourcePolicyContributor)]";
    (assignment['properties'] as JsonObject)['roleDefinitionId'] = "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('roleIds').resourcePolicyContributor)]";
    expect(grants(t).problems).toEqual([
      "/roles-*-*:[guid(subscription().id, parameters('principalId'), variables('roleIds').resourcePolicyContributor)]: resourcePolicyContributor is Resource Policy Contributor (can also change policy assignments and definitions), broader than the app needs",
      "/roles-*-*:[guid(subscription().id, parameters('principalId'), variables('roleIds').resourcePolicyContributor)]: role resourcePolicyContributor is not a known built-in role",
    ]);
  });

  it('docs/deploy.md grants the same custom role at a management group (az CLI and Bicep)', () => {
    const doc = readText('docs', 'deploy.md');
    const az = /"Actions": \[([^\]]*)\]/.exec(doc)?.[1] ?? '';
    expect([...az.matchAll(/"([^"]+)"/g)].map((m) => m[1])).toEqual(EXEMPTION_WRITER_ACTIONS);
    const bicep = /actions: \[([^\]]*)\]/.exec(doc)?.[1] ?? '';
    expect([...bicep.matchAll(/'([^']+)'/g)].map((m) => m[1])).toEqual(EXEMPTION_WRITER_ACTIONS);
    expect(doc).toContain("targetScope = 'managementGroup'");
    expect(doc).not.toMatch(/for ROLE in [^\n]*Resource Policy Contributor/);
  });

  it('no template or module mentions Resource Policy Contributor or another too-broad role', () => {
    const texts = [readText('infra', 'azuredeploy.json'), readText('infra', 'azuredeploy-relay.json'), readText('infra', 'main.bicep'), readText('infra', 'relay.bicep')];
    for (const file of readdirSync(join(INFRA, 'modules'))) texts.push(readText('infra', 'modules', file));
    for (const text of texts) for (const id of Object.keys(TOO_BROAD)) expect(text).not.toContain(id);
  });

  it('fail on a wrong id or a non-deterministic name', () => {
    const t = armTemplate();
    const [roles] = resourcesOfType(t, 'Microsoft.Authorization/roleAssignments').filter((r) => r.scope.path === '/roles-*-*');
    const ids = asObject(roles!.scope.template['variables'])!['roleIds'] as JsonObject;
    ids['securityReader'] = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
    roles!.resource['name'] = "[guid(newGuid(), parameters('principalId'), variables('roleIds').securityReader)]";
    expect(grants(t).problems).toEqual([
      "/roles-*-*:[guid(newGuid(), parameters('principalId'), variables('roleIds').securityReader)]: securityReader has id acdd72a7-3385-48ef-bd42-f606fba81ae7 but Security Reader is 39bc4728-0917-49c7-9d2c-d95423bc2eb4",
      "/roles-*-*:[guid(newGuid(), parameters('principalId'), variables('roleIds').securityReader)]: name is not deterministic",
    ]);
  });

  it('Bicep modules use the same role ids', () => {
    const dir = join(INFRA, 'modules');
    const seen: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.bicep'))) {
      const block = /var roleIds = \{([^}]*)\}/.exec(readText('infra', 'modules', file))?.[1] ?? '';
      for (const [, key, id] of block.matchAll(/(\w+):\s*'([0-9a-f-]{36})'/g)) {
        expect(BUILT_IN_ROLES[key!]?.id, `${file}: ${key}`).toBe(id);
        seen.push(key!);
      }
    }
    expect([...new Set(seen)].sort()).toEqual(Object.keys(BUILT_IN_ROLES).sort());
  });
});
