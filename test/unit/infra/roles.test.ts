import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { asObject, resourcesOfType, type JsonObject } from './arm-template.js';
import { armTemplate, INFRA, readText } from './fixtures.js';
import { BUILT_IN_ROLES, grants } from './roles.js';

// What the identity may do, and nothing broader (scope: role).
const EXPECTED = [
  'subscription: securityReader', // security contacts, assessments
  'subscription: resourcePolicyContributor', // policyExemptions/write + policyAssignments/exempt/action
  'subscription: reader', // Resource Graph, assignments and set definitions
  'Microsoft.Storage/storageAccounts: storageBlobDataOwner', // host storage, Flex package container
  'Microsoft.Storage/storageAccounts: storageQueueDataContributor', // notify and apply queues
  'Microsoft.Storage/storageAccounts: storageTableDataContributor', // request store
  'Microsoft.Insights/components: monitoringMetricsPublisher', // telemetry with local auth off
  'Microsoft.KeyVault/vaults: keyVaultSecretsUser', // Key Vault references
  'Microsoft.Communication/communicationServices: communicationAndEmailServiceOwner', // send email as the identity
];

describe('role assignments', () => {
  it('use built-in role ids that match their names, named guid(scope, principal, role)', () => {
    const { problems, grants: list } = grants(armTemplate());
    expect(problems).toEqual([]);
    expect(list.length).toBe(EXPECTED.length + 1);
  });

  it('give the app identity exactly the least-privilege set', () => {
    const app = grants(armTemplate()).grants.filter((g) => !g.conditional);
    expect(app.map((g) => `${g.scope}: ${g.roleKey}`).sort()).toEqual([...EXPECTED].sort());
    // One principal: every module receives the identity's principal id as parameters('principalId').
    expect(new Set(app.map((g) => g.principal))).toEqual(new Set(["parameters('principalId')"]));
    // The only other grant: the optional deployer on the vault, to rotate secrets.
    const deployer = grants(armTemplate()).grants.filter((g) => g.conditional);
    expect(deployer.map((g) => `${g.scope}: ${g.roleKey}: ${g.principal}`)).toEqual([
      "Microsoft.KeyVault/vaults: keyVaultSecretsOfficer: parameters('deployerPrincipalId')",
    ]);
  });

  it('fail on a wrong id, a non-deterministic name or a broader role', () => {
    const t = armTemplate();
    const [roles] = resourcesOfType(t, 'Microsoft.Authorization/roleAssignments').filter((r) => r.scope.path === '/roles-*');
    const ids = asObject(roles!.scope.template['variables'])!['roleIds'] as JsonObject;
    ids['reader'] = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
    ids['owner'] = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
    roles!.resource['name'] = "[guid(newGuid(), parameters('principalId'), variables('roleIds').owner)]";
    const { problems, grants: list } = grants(t);
    expect(problems).toEqual([
      "/roles-*:[guid(newGuid(), parameters('principalId'), variables('roleIds').owner)]: name is not guid(scope, principalId, roleId)",
      "/roles-*:[guid(newGuid(), parameters('principalId'), variables('roleIds').owner)]: name is not deterministic",
      '/roles-*:[guid(subscription().id, parameters(\'principalId\'), variables(\'roleIds\').reader)]: reader has id 8e3af657-a8ff-443c-a75c-2fe8c4bcb635 but Reader is acdd72a7-3385-48ef-bd42-f606fba81ae7',
    ]);
    (roles!.resource['properties'] as JsonObject)['roleDefinitionId'] = "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('roleIds').owner)]";
    const broader = grants(t);
    expect(broader.problems).toContain("/roles-*:[guid(newGuid(), parameters('principalId'), variables('roleIds').owner)]: role owner is not a known built-in role");
    expect(list.length).toBe(broader.grants.length);
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
    expect(seen.sort()).toEqual(Object.keys(BUILT_IN_ROLES).sort());
  });
});
