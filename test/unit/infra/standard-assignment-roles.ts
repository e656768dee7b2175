/**
 * What exempting Defender-native recommendations (Microsoft.Security/standardAssignments, effect
 * Exempt) needs from infra, checked in azuredeploy.json and in Bicep: a custom role holding only the
 * write, always granted; one holding only the delete, defined and granted only when the sweep deletes
 * expired exemptions; the reads left to Security Reader; and never Security Admin.
 * Each check returns problems instead of throwing, so tests can also break copies on purpose.
 */
import { asObject, scopes, type JsonObject, type Scope, type Template } from './arm-template.js';
import { customRoles, grants } from './roles.js';

/** Microsoft's operations list for Microsoft.Security names these three for the type (read, write, delete). */
export const STANDARD_EXEMPTION_WRITER_ACTIONS = ['Microsoft.Security/standardAssignments/write'];
export const STANDARD_EXEMPTION_REMOVER_ACTIONS = ['Microsoft.Security/standardAssignments/delete'];

/**
 * What the app reads on Defender's side to resolve a native recommendation and to check its own writes, at a
 * subscription or below (built-in assessment metadata at the tenant level is readable by every caller).
 */
export const STANDARD_READS = [
  'Microsoft.Security/assessmentMetadata/read',
  'Microsoft.Security/securityStandards/read',
  'Microsoft.Security/standardAssignments/read',
];

/**
 * The actions of the app's subscription-wide built-in roles that bear on Microsoft.Security, as
 * Microsoft's role definitions list them (Security Reader: every Microsoft.Security read, among
 * others; Reader: every read). Only these decide what a built-in grant covers here.
 */
export const BUILT_IN_ACTIONS: Record<string, readonly string[]> = {
  securityReader: ['Microsoft.Security/*/read'],
  reader: ['*/read'],
};

export interface RoleSpec {
  /** The Bicep / ARM variable holding the role definition's name (a GUID). */
  variable: string;
  /** The variable holding its action list. */
  actionsVariable: string;
  /** The Bicep symbols of the definition and of the app's assignment. */
  definitionSymbol: string;
  assignmentSymbol: string;
  /** The seed of guid(subscription().id, seed, environmentToken). */
  seed: string;
  roleName: string;
  actions: readonly string[];
  /** Only when the sweep deletes expired exemptions. */
  conditional: boolean;
}

export const STANDARD_ROLES: readonly RoleSpec[] = [
  {
    variable: 'defenderStandardExemptionWriterRoleId',
    actionsVariable: 'defenderStandardExemptionWriterActions',
    definitionSymbol: 'defenderStandardExemptionWriterRole',
    assignmentSymbol: 'defenderStandardExemptionWriter',
    seed: 'exemption-broker-defender-standard-exemption-writer',
    roleName: 'Defender standard exemption writer',
    actions: STANDARD_EXEMPTION_WRITER_ACTIONS,
    conditional: false,
  },
  {
    variable: 'defenderStandardExemptionRemoverRoleId',
    actionsVariable: 'defenderStandardExemptionRemoverActions',
    definitionSymbol: 'defenderStandardExemptionRemoverRole',
    assignmentSymbol: 'defenderStandardExemptionRemover',
    seed: 'exemption-broker-defender-standard-exemption-remover',
    roleName: 'Defender standard exemption remover',
    actions: STANDARD_EXEMPTION_REMOVER_ACTIONS,
    conditional: true,
  },
];

const APP = "[parameters('principalId')]";
const CONDITION = "[parameters('grantExemptionRemoval')]";
const eq = (a: readonly string[] | undefined, b: readonly string[]): boolean => JSON.stringify(a) === JSON.stringify(b);
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** ARM's action matching: `*` stands for any run of characters, case does not matter. */
export function covers(pattern: string, action: string): boolean {
  return new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`, 'i').test(action);
}

const rolesScope = (t: Template): Scope | undefined => scopes(t).find((s) => s.path === '/roles-*-*');

export function checkStandardRolesArm(t: Template): string[] {
  const scope = rolesScope(t);
  if (!scope) return ['azuredeploy.json has no per-subscription roles deployment'];
  const problems: string[] = [];
  const vars = asObject(scope.template['variables']) ?? {};
  const defs = customRoles(scope);
  const resources = scope.template.resources;
  for (const spec of STANDARD_ROLES) {
    const label = `azuredeploy.json ${spec.roleName}`;
    const role = defs.get(spec.variable);
    if (!role) {
      problems.push(`${label}: no role definition`);
    } else {
      if (!eq(role.actions, spec.actions)) problems.push(`${label}: actions are ${JSON.stringify(role.actions)}`);
      if (role.notActions.length + role.dataActions.length + role.notDataActions.length > 0) problems.push(`${label}: has notActions or data actions`);
      if (!eq(role.assignableScopes, ['[subscription().id]']) || role.type !== 'CustomRole') problems.push(`${label}: is not a custom role assignable at its own subscription only`);
    }
    if (vars[spec.variable] !== `[guid(subscription().id, '${spec.seed}', parameters('environmentToken'))]`)
      problems.push(`${label}: role id is not guid(subscription().id, '${spec.seed}', environmentToken)`);
    const definition = resources.find((r) => r['type'] === 'Microsoft.Authorization/roleDefinitions' && r['name'] === `[variables('${spec.variable}')]`);
    const name = asObject(definition?.['properties'])?.['roleName'];
    if (definition && name !== `[format('${spec.roleName} (exemption-broker {0})', parameters('environmentToken'))]`) problems.push(`${label}: role name is ${JSON.stringify(name)}`);

    const assignment = resources.find((r) => r['type'] === 'Microsoft.Authorization/roleAssignments' && String(r['name']).includes(`variables('${spec.variable}')`));
    if (!assignment) {
      problems.push(`${label}: not granted`);
      continue;
    }
    const props = asObject(assignment['properties']) ?? {};
    if (assignment['name'] !== `[guid(subscription().id, parameters('principalId'), variables('${spec.variable}'))]`)
      problems.push(`${label}: assignment is not named guid(subscription().id, principalId, role)`);
    if (props['principalId'] !== APP || props['principalType'] !== 'ServicePrincipal') problems.push(`${label}: not granted to the app's identity`);
    if (props['roleDefinitionId'] !== `[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('${spec.variable}'))]`)
      problems.push(`${label}: assignment does not grant the role defined here`);
    const want = spec.conditional ? CONDITION : undefined;
    if (definition?.['condition'] !== want) problems.push(`${label}: ${spec.conditional ? 'defined unconditionally' : 'defined only conditionally'}`);
    if (assignment['condition'] !== want) problems.push(`${label}: ${spec.conditional ? 'granted unconditionally' : 'granted only conditionally'}`);
  }
  return problems;
}

export function checkStandardRolesBicep(roles: string): string[] {
  const problems: string[] = [];
  const list = (name: string): string[] =>
    [...(new RegExp(`^var ${name} = \\[([^\\]]*)\\]`, 'm').exec(roles)?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]!);
  for (const spec of STANDARD_ROLES) {
    const label = `roles-subscription.bicep ${spec.roleName}`;
    const when = spec.conditional ? 'if \\(grantExemptionRemoval\\) ' : '';
    if (!eq(list(spec.actionsVariable), spec.actions)) problems.push(`${label}: actions are ${JSON.stringify(list(spec.actionsVariable))}`);
    if (!roles.includes(`var ${spec.variable} = guid(subscription().id, '${spec.seed}', environmentToken)`))
      problems.push(`${label}: role id is not guid(subscription().id, '${spec.seed}', environmentToken)`);
    const definition = new RegExp(
      `^resource ${spec.definitionSymbol} 'Microsoft\\.Authorization/roleDefinitions@[^']+' = ${when}\\{\\n` +
      `  name: ${spec.variable}\\n  properties: \\{\\n    roleName: '${escape(spec.roleName)} \\(exemption-broker \\$\\{environmentToken\\}\\)'\\n` +
      `[^]*?actions: ${spec.actionsVariable}\\n        notActions: \\[\\]\\n        dataActions: \\[\\]\\n        notDataActions: \\[\\]\\n` +
      `[^]*?assignableScopes: \\[\\n      subscription\\(\\)\\.id\\n    \\]\\n  \\}\\n\\}`, 'm');
    if (!definition.test(roles)) problems.push(`${label}: not defined ${spec.conditional ? 'only when grantExemptionRemoval' : 'unconditionally'} with exactly its actions at the subscription`);
    const assignment = new RegExp(
      `^resource ${spec.assignmentSymbol} 'Microsoft\\.Authorization/roleAssignments@[^']+' = ${when}\\{\\n` +
      `  name: guid\\(subscription\\(\\)\\.id, principalId, ${spec.variable}\\)\\n  properties: \\{\\n` +
      `    roleDefinitionId: ${spec.definitionSymbol}\\.id\\n    principalId: principalId\\n    principalType: 'ServicePrincipal'\\n`, 'm');
    if (!assignment.test(roles)) problems.push(`${label}: not granted ${spec.conditional ? 'only when grantExemptionRemoval' : 'unconditionally'} to principalId, named guid(subscription().id, principalId, role)`);
  }
  return problems;
}

/**
 * The app's subscription grants cover every read it makes on Defender's side, and the standard-assignment
 * write and delete come only from the roles above.
 */
export function checkStandardCoverage(t: Template): string[] {
  const problems: string[] = [];
  const app = grants(t).grants.filter((g) => g.principal === "parameters('principalId')" && g.scope === 'subscription');
  const actionsOf = (g: (typeof app)[number]): readonly string[] => g.custom?.actions ?? BUILT_IN_ACTIONS[g.roleKey] ?? [];
  for (const action of STANDARD_READS)
    if (!app.some((g) => actionsOf(g).some((p) => covers(p, action)))) problems.push(`no role of the app covers ${action}`);
  for (const spec of STANDARD_ROLES) {
    for (const action of spec.actions) {
      const from = app.filter((g) => actionsOf(g).some((p) => covers(p, action))).map((g) => g.roleKey);
      if (!eq(from, [spec.variable])) problems.push(`${action} comes from ${JSON.stringify(from)}, not only ${spec.variable}`);
    }
  }
  return problems;
}

/** Test helper: the roles deployment's template of a copy, to break on purpose. */
export function standardRolesScope(t: Template): { vars: JsonObject; resources: JsonObject[] } {
  const scope = rolesScope(t)!;
  return { vars: asObject(scope.template['variables'])!, resources: scope.template.resources };
}
