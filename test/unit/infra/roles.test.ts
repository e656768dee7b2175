import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { asObject, resourcesOfType, scopes, type JsonObject } from './arm-template.js';
import { armTemplate, INFRA, readText } from './fixtures.js';
import { BUILT_IN_ROLES, customRoles, grants, TOO_BROAD } from './roles.js';
import {
  checkStandardCoverage, checkStandardRolesArm, checkStandardRolesBicep, standardRolesScope, STANDARD_EXEMPTION_REMOVER_ACTIONS,
  STANDARD_EXEMPTION_WRITER_ACTIONS,
} from './standard-assignment-roles.js';

// What the identity may do, and nothing broader (scope: role).
const EXPECTED = [
  'subscription: securityReader', // security contacts, assessments
  'subscription: policyExemptionWriterRoleId', // custom: exactly the exemption actions
  'subscription: reader', // Resource Graph (requests and the nightly sweep), assignments and set definitions
  'subscription: policyEvaluationTriggerRoleId', // custom: only the Policy Insights evaluation trigger (sweep)
  'subscription: policyExemptionRemoverRoleId', // custom, only when the sweep deletes expired exemptions
  'subscription: defenderStandardExemptionWriterRoleId', // custom: only the standard-assignment write (Defender-native exemptions)
  'subscription: defenderStandardExemptionRemoverRoleId', // custom: only its delete, only when the sweep deletes expired exemptions
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

describe('Defender standard-assignment exemptions get exactly their write (and, with deletion on, their delete)', () => {
  const rolesBicep = (): string => readText('infra', 'modules', 'roles-subscription.bicep');
  const writerGrant = (resources: JsonObject[]): JsonObject =>
    resources.find((r) => r['type'] === 'Microsoft.Authorization/roleAssignments' && String(r['name']).includes('defenderStandardExemptionWriterRoleId'))!;

  it('a custom writer role with only standardAssignments/write, always granted; a remover with only the delete, only when the sweep deletes', () => {
    expect(STANDARD_EXEMPTION_WRITER_ACTIONS).toEqual(['Microsoft.Security/standardAssignments/write']);
    expect(STANDARD_EXEMPTION_REMOVER_ACTIONS).toEqual(['Microsoft.Security/standardAssignments/delete']);
    expect(checkStandardRolesArm(armTemplate())).toEqual([]);
    expect(checkStandardRolesBicep(rolesBicep())).toEqual([]);
    // Reads (standards, standard assignments, assessment metadata) come from Security Reader and Reader;
    // the write and the delete only from the two custom roles.
    expect(checkStandardCoverage(armTemplate())).toEqual([]);
  });

  it('fails when either role is widened, in azuredeploy.json or in Bicep', () => {
    const t = armTemplate();
    const { vars } = standardRolesScope(t);
    (vars['defenderStandardExemptionWriterActions'] as string[]).push('Microsoft.Security/standardAssignments/delete');
    vars['defenderStandardExemptionRemoverActions'] = ['Microsoft.Security/*'];
    expect(checkStandardRolesArm(t)).toEqual([
      'azuredeploy.json Defender standard exemption writer: actions are ["Microsoft.Security/standardAssignments/write","Microsoft.Security/standardAssignments/delete"]',
      'azuredeploy.json Defender standard exemption remover: actions are ["Microsoft.Security/*"]',
    ]);
    expect(checkStandardCoverage(t)).toEqual([
      'Microsoft.Security/standardAssignments/write comes from ["defenderStandardExemptionWriterRoleId","defenderStandardExemptionRemoverRoleId"], not only defenderStandardExemptionWriterRoleId',
      'Microsoft.Security/standardAssignments/delete comes from ["defenderStandardExemptionWriterRoleId","defenderStandardExemptionRemoverRoleId"], not only defenderStandardExemptionRemoverRoleId',
    ]);
    const bicep = rolesBicep()
      .replace("  'Microsoft.Security/standardAssignments/write'\n]", "  'Microsoft.Security/standardAssignments/write'\n  'Microsoft.Security/pricings/write'\n]")
      .replace('actions: defenderStandardExemptionRemoverActions\n        notActions: []\n        dataActions: []\n',
        "actions: defenderStandardExemptionRemoverActions\n        notActions: []\n        dataActions: [\n          'Microsoft.Security/*'\n        ]\n");
    expect(checkStandardRolesBicep(bicep)).toEqual([
      'roles-subscription.bicep Defender standard exemption writer: actions are ["Microsoft.Security/standardAssignments/write","Microsoft.Security/pricings/write"]',
      'roles-subscription.bicep Defender standard exemption remover: not defined only when grantExemptionRemoval with exactly its actions at the subscription',
    ]);
  });

  it('fails when a role or its grant is missing, or the remover loses its condition', () => {
    const t = armTemplate();
    const scope = standardRolesScope(t);
    const roles = scopes(t).find((s) => s.path === '/roles-*-*')!;
    roles.template.resources = scope.resources.filter((r) => !(r['type'] === 'Microsoft.Authorization/roleDefinitions' && r['name'] === "[variables('defenderStandardExemptionWriterRoleId')]"));
    for (const r of roles.template.resources) if (String(r['name']).includes('defenderStandardExemptionRemoverRoleId')) delete r['condition'];
    expect(checkStandardRolesArm(t)).toEqual([
      'azuredeploy.json Defender standard exemption writer: no role definition',
      'azuredeploy.json Defender standard exemption remover: defined unconditionally',
      'azuredeploy.json Defender standard exemption remover: granted unconditionally',
    ]);
    const bicep = rolesBicep()
      .replace(/\nresource defenderStandardExemptionWriter '[^]*?\n\}\n/, '\n')
      .replaceAll("resource defenderStandardExemptionRemover 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantExemptionRemoval) {", "resource defenderStandardExemptionRemover 'Microsoft.Authorization/roleAssignments@2022-04-01' = {");
    expect(checkStandardRolesBicep(bicep)).toEqual([
      'roles-subscription.bicep Defender standard exemption writer: not granted unconditionally to principalId, named guid(subscription().id, principalId, role)',
      'roles-subscription.bicep Defender standard exemption remover: not granted only when grantExemptionRemoval to principalId, named guid(subscription().id, principalId, role)',
    ]);
  });

  it('fails when an assignment is not named guid(subscription().id, principalId, role)', () => {
    const t = armTemplate();
    writerGrant(standardRolesScope(t).resources)['name'] = "[guid(parameters('principalId'), variables('defenderStandardExemptionWriterRoleId'))]";
    expect(checkStandardRolesArm(t)).toEqual(['azuredeploy.json Defender standard exemption writer: assignment is not named guid(subscription().id, principalId, role)']);
    expect(grants(t).problems).toEqual([
      "/roles-*-*:[guid(parameters('principalId'), variables('defenderStandardExemptionWriterRoleId'))]: name is not guid(scope, principalId, roleId)",
    ]);
    const bicep = rolesBicep().replace('name: guid(subscription().id, principalId, defenderStandardExemptionRemoverRoleId)', 'name: guid(subscription().id, defenderStandardExemptionRemoverRoleId)');
    expect(checkStandardRolesBicep(bicep)).toEqual([
      'roles-subscription.bicep Defender standard exemption remover: not granted only when grantExemptionRemoval to principalId, named guid(subscription().id, principalId, role)',
    ]);
  });

  it('fails when Security Admin takes the writer role\'s place', () => {
    const t = armTemplate();
    const { vars, resources } = standardRolesScope(t);
    vars['roleIds'] = { ...(vars['roleIds'] as JsonObject), securityAdmin: 'fb1c8493-542b-48eb-b624-b4c8fea62acd' };
    const grant = writerGrant(resources);
    grant['name'] = "[guid(subscription().id, parameters('principalId'), variables('roleIds').securityAdmin)]";
    (grant['properties'] as JsonObject)['roleDefinitionId'] = "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('roleIds').securityAdmin)]";
    const where = "/roles-*-*:[guid(subscription().id, parameters('principalId'), variables('roleIds').securityAdmin)]";
    expect(grants(t).problems).toEqual([
      `${where}: securityAdmin is ${TOO_BROAD['fb1c8493-542b-48eb-b624-b4c8fea62acd']}, broader than the app needs`,
      `${where}: role securityAdmin is not a known built-in role`,
    ]);
    expect(checkStandardRolesArm(t)).toEqual(['azuredeploy.json Defender standard exemption writer: not granted']);
  });

  it('docs/deploy.md grants the same roles at a management group (az CLI and Bicep), and says why not Security Admin', () => {
    const doc = readText('docs', 'deploy.md');
    const azActions = (name: string): string[] => {
      const block = new RegExp(`"Name": "${name} \\(exemption-broker, <management-group-id>\\)",\\n[^\\n]*\\n  "Actions": \\[([^\\]]*)\\]`).exec(doc)?.[1] ?? '';
      return [...block.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    };
    expect(azActions('Defender standard exemption writer')).toEqual(STANDARD_EXEMPTION_WRITER_ACTIONS);
    expect(azActions('Defender standard exemption remover')).toEqual(STANDARD_EXEMPTION_REMOVER_ACTIONS);
    expect(doc).toMatch(/for ROLE in [^\n]*\\\n\s+"Defender standard exemption writer \(exemption-broker, <management-group-id>\)"; do/);
    const bicep = /resource standardWriter 'Microsoft\.Authorization\/roleDefinitions@[^']+' = \{[^]*?actions: \[([^\]]*)\]/.exec(doc)?.[1] ?? '';
    expect([...bicep.matchAll(/'([^']+)'/g)].map((m) => m[1])).toEqual(STANDARD_EXEMPTION_WRITER_ACTIONS);
    expect(doc).toMatch(/var roles = \[\n  writer\.id\n  standardWriter\.id\n/);
    expect(doc).toContain('**Defender-native recommendations and Security Admin.**');
  });

  it('fails when no grant of the app reads Defender\'s standards, assignments and metadata any more', () => {
    const t = armTemplate();
    const roles = scopes(t).find((s) => s.path === '/roles-*-*')!;
    roles.template.resources = roles.template.resources.filter((r) => !/variables\('roleIds'\)\.(securityReader|reader)\)/.test(String(r['name'])));
    expect(checkStandardCoverage(t)).toEqual([
      'no role of the app covers Microsoft.Security/assessmentMetadata/read',
      'no role of the app covers Microsoft.Security/securityStandards/read',
      'no role of the app covers Microsoft.Security/standardAssignments/read',
    ]);
  });
});
