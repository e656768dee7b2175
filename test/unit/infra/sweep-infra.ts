/**
 * What the nightly sweep needs from infra, checked in both azuredeploy.json and the Bicep files:
 * its settings (with the catalog's defaults), its queue and tables, and its two narrow custom roles
 * (the evaluation trigger always; the exemption remover only when deletion is on).
 * Each check returns problems instead of throwing, so tests can also break copies on purpose.
 */
import { SETTINGS, STORAGE_NAMES } from '../../../lib/config/settings-catalog.js';
import { armAppSettings, bicepAppSettingNames } from './app-settings.js';
import { asObject, moduleDeployment, nestedTemplate, resourcesOfType, scopes, type Template } from './arm-template.js';
import { parseBicep } from './bicep-decls.js';
import { BUILT_IN_ROLES, customRoles, grants, TOO_BROAD } from './roles.js';

export interface BicepTexts {
  main: string;
  functionApp: string;
  storage: string;
  roles: string;
}

export const SWEEP_SETTINGS = [
  'SWEEP_SCHEDULE', 'SWEEP_SCOPE', 'SWEEP_WARN_DAYS', 'SWEEP_DELETE_EXPIRED_AFTER_DAYS', 'SWEEP_DEFENDER_LAG_HOURS', 'SWEEP_DIGEST_TO',
] as const;

/** The deployer's choices: the template parameter behind each setting and its default, as the catalog has it. */
export const SWEEP_PARAMETERS: Record<string, { setting: (typeof SWEEP_SETTINGS)[number]; type: 'string' | 'int'; default: string | number }> = {
  sweepScope: { setting: 'SWEEP_SCOPE', type: 'string', default: '' },
  sweepWarnDays: { setting: 'SWEEP_WARN_DAYS', type: 'string', default: SETTINGS.SWEEP_WARN_DAYS.default },
  // 0 = off: the setting is left empty, which the app reads as unset.
  sweepDeleteExpiredAfterDays: { setting: 'SWEEP_DELETE_EXPIRED_AFTER_DAYS', type: 'int', default: 0 },
  sweepDefenderLagHours: { setting: 'SWEEP_DEFENDER_LAG_HOURS', type: 'int', default: Number(SETTINGS.SWEEP_DEFENDER_LAG_HOURS.default) },
  sweepDigestTo: { setting: 'SWEEP_DIGEST_TO', type: 'string', default: SETTINGS.SWEEP_DIGEST_TO.default },
};

export const TRIGGER_ACTIONS = ['Microsoft.PolicyInsights/policyStates/triggerEvaluation/action'];
export const REMOVER_ACTIONS = ['Microsoft.Authorization/policyExemptions/delete', 'Microsoft.Authorization/policyExemptions/read'];
const REMOVER_CONDITION = "[parameters('grantExemptionRemoval')]";
const REMOVER_SWITCH = "[greater(parameters('sweepDeleteExpiredAfterDays'), 0)]";

const bicepList = (text: string, name: string): string[] =>
  [...(new RegExp(`var ${name} = \\[([^\\]]*)\\]`).exec(text)?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]!);

/** A Bicep param's default as written (`param x int = 24` -> "24", `= '30,7,1'` -> "30,7,1"). */
const bicepDefault = (text: string, name: string): string | undefined => {
  const m = new RegExp(`^param ${name} \\w+ = (?:'((?:[^'\\\\]|\\\\.)*)'|(-?\\d+))\\s*$`, 'm').exec(text);
  return m ? (m[1] ?? m[2]) : undefined;
};

export function checkSweepSettings(t: Template, bicep: BicepTexts): string[] {
  const problems: string[] = [];
  const arm = armAppSettings(t);
  const bicepNames = bicepAppSettingNames(bicep.functionApp);
  for (const name of SWEEP_SETTINGS) {
    if (!(name in arm)) problems.push(`azuredeploy.json does not set ${name}`);
    if (!bicepNames.includes(name)) problems.push(`functionapp.bicep does not set ${name}`);
  }
  // The host reads %SWEEP_SCHEDULE% itself, so it is set, at the catalog's default, in both.
  const schedule = SETTINGS.SWEEP_SCHEDULE.default;
  if (arm['SWEEP_SCHEDULE'] !== schedule) problems.push(`azuredeploy.json sets SWEEP_SCHEDULE to ${arm['SWEEP_SCHEDULE']}, not ${schedule}`);
  if (!bicep.functionApp.includes(`SWEEP_SCHEDULE: '${schedule}'`)) problems.push(`functionapp.bicep does not set SWEEP_SCHEDULE to '${schedule}'`);

  const main = parseBicep(bicep.main);
  const app = nestedTemplate(moduleDeployment(t, 'functionapp'))!;
  const given = asObject(asObject(moduleDeployment(t, 'functionapp')['properties'])?.['parameters']) ?? {};
  for (const [param, want] of Object.entries(SWEEP_PARAMETERS)) {
    const p = t.parameters[param];
    if (!p) problems.push(`azuredeploy.json has no parameter ${param}`);
    else {
      if (p['type'] !== want.type) problems.push(`azuredeploy.json parameter ${param} is ${String(p['type'])}, not ${want.type}`);
      if (p['defaultValue'] !== want.default) problems.push(`azuredeploy.json parameter ${param} defaults to ${JSON.stringify(p['defaultValue'])}, not ${JSON.stringify(want.default)}`);
    }
    if (main.params.get(param)?.type !== want.type) problems.push(`main.bicep has no ${want.type} parameter ${param}`);
    if (bicepDefault(bicep.main, param) !== String(want.default)) problems.push(`main.bicep parameter ${param} does not default to ${JSON.stringify(want.default)}`);
    // Handed to the app module and used for its setting, in both files.
    if (asObject(given[param])?.['value'] !== `[parameters('${param}')]`) problems.push(`azuredeploy.json does not pass ${param} to the function app`);
    if (!new RegExp(`^\\s+${param}: ${param}$`, 'm').test(bicep.main)) problems.push(`main.bicep does not pass ${param} to the function app`);
    if (!app.parameters[param]) problems.push(`the function app template does not declare ${param}`);
    if (!String(arm[want.setting]).includes(`parameters('${param}')`)) problems.push(`azuredeploy.json does not set ${want.setting} from ${param}`);
    if (!new RegExp(`^\\s+${want.setting}: .*\\b${param}\\b`, 'm').test(bicep.functionApp)) problems.push(`functionapp.bicep does not set ${want.setting} from ${param}`);
  }
  // Bounds the catalog enforces are the deployer's bounds too (0 aside: it means off).
  const lag = t.parameters['sweepDefenderLagHours'];
  if (lag && (lag['minValue'] !== SETTINGS.SWEEP_DEFENDER_LAG_HOURS.min || lag['maxValue'] !== SETTINGS.SWEEP_DEFENDER_LAG_HOURS.max))
    problems.push('azuredeploy.json sweepDefenderLagHours bounds differ from the catalog');
  const del = t.parameters['sweepDeleteExpiredAfterDays'];
  if (del && (del['minValue'] !== 0 || del['maxValue'] !== SETTINGS.SWEEP_DELETE_EXPIRED_AFTER_DAYS.max))
    problems.push('azuredeploy.json sweepDeleteExpiredAfterDays bounds are not 0 (off) to the catalog maximum');
  // 0 must become an empty setting (unset for the app), never "0", which the catalog refuses (min 1).
  const off = "[if(greater(parameters('sweepDeleteExpiredAfterDays'), 0), string(parameters('sweepDeleteExpiredAfterDays')), '')]";
  if (arm['SWEEP_DELETE_EXPIRED_AFTER_DAYS'] !== off) problems.push('azuredeploy.json does not leave SWEEP_DELETE_EXPIRED_AFTER_DAYS empty when the parameter is 0');
  if (!bicep.functionApp.includes("SWEEP_DELETE_EXPIRED_AFTER_DAYS: sweepDeleteExpiredAfterDays > 0 ? string(sweepDeleteExpiredAfterDays) : ''"))
    problems.push('functionapp.bicep does not leave SWEEP_DELETE_EXPIRED_AFTER_DAYS empty when the parameter is 0');
  return problems;
}

export function checkSweepStorage(t: Template, bicep: BicepTexts): string[] {
  const problems: string[] = [];
  const vars = asObject(t['variables']) ?? {};
  const want = { tableNames: [STORAGE_NAMES.sweepRunsTable, STORAGE_NAMES.sweepFindingsTable], queueNames: [STORAGE_NAMES.sweepQueue] };
  for (const [list, names] of Object.entries(want)) {
    const arm = (vars[list] as string[] | undefined) ?? [];
    for (const name of names) {
      if (!arm.includes(name)) problems.push(`azuredeploy.json ${list} lacks ${name}`);
      if (!bicepList(bicep.main, list).includes(name)) problems.push(`main.bicep ${list} lacks ${name}`);
    }
  }
  // The storage module creates one table / queue per name it is given, in both files.
  const storage = nestedTemplate(moduleDeployment(t, 'storage'))!;
  const loops = (type: string, param: string): boolean =>
    storage.resources.some((r) => r['type'] === type && asObject(r['copy'])?.['count'] === `[length(parameters('${param}'))]`);
  if (!loops('Microsoft.Storage/storageAccounts/tableServices/tables', 'tableNames')) problems.push('azuredeploy.json storage does not create a table per tableNames entry');
  if (!loops('Microsoft.Storage/storageAccounts/queueServices/queues', 'queueNames')) problems.push('azuredeploy.json storage does not create a queue per queueNames entry');
  if (!/\/tables@[^']+' = \[for table in tableNames:/.test(bicep.storage)) problems.push('storage.bicep does not create a table per tableNames entry');
  if (!/\/queues@[^']+' = \[for queue in queueNames:/.test(bicep.storage)) problems.push('storage.bicep does not create a queue per queueNames entry');
  return problems;
}

export function checkSweepRoles(t: Template, bicep: BicepTexts): string[] {
  const problems: string[] = [];
  const roles = scopes(t).find((s) => s.path === '/roles-*-*');
  if (!roles) return ['azuredeploy.json has no per-subscription roles deployment'];
  const defs = customRoles(roles);
  const resources = roles.template.resources;
  const definition = (variable: string) => resources.find((r) => r['type'] === 'Microsoft.Authorization/roleDefinitions' && r['name'] === `[variables('${variable}')]`);
  const assignment = (variable: string) => resources.find((r) => r['type'] === 'Microsoft.Authorization/roleAssignments' && String(r['name']).includes(`variables('${variable}')`));
  const eq = (a: readonly string[] | undefined, b: readonly string[]): boolean => JSON.stringify(a) === JSON.stringify(b);

  // The evaluation trigger: exactly one action, always granted at the subscription.
  const trigger = defs.get('policyEvaluationTriggerRoleId');
  if (!eq(trigger?.actions, TRIGGER_ACTIONS)) problems.push(`azuredeploy.json trigger role actions are ${JSON.stringify(trigger?.actions)}`);
  if (trigger && (trigger.notActions.length + trigger.dataActions.length + trigger.notDataActions.length > 0 || !eq(trigger.assignableScopes, ['[subscription().id]'])))
    problems.push('azuredeploy.json trigger role is more than the action at its subscription');
  if (!eq(bicepList(bicep.roles, 'policyEvaluationTriggerActions'), TRIGGER_ACTIONS)) problems.push('roles-subscription.bicep trigger role actions differ');
  const triggerGrant = assignment('policyEvaluationTriggerRoleId');
  if (!triggerGrant) problems.push('azuredeploy.json does not grant the trigger role');
  else if ('condition' in triggerGrant) problems.push('azuredeploy.json grants the trigger role only conditionally');
  if (!/^resource \w+ 'Microsoft\.Authorization\/roleAssignments@[^']+' = \{\n\s+name: guid\(subscription\(\)\.id, principalId, policyEvaluationTriggerRoleId\)/m.test(bicep.roles))
    problems.push('roles-subscription.bicep does not grant the trigger role, named guid(subscription().id, principalId, role)');
  if ((asObject(roles.template['variables'])?.['policyEvaluationTriggerRoleId'] !== "[guid(subscription().id, 'exemption-broker-policy-evaluation-trigger', parameters('environmentToken'))]"))
    problems.push('azuredeploy.json trigger role name is not deterministic per subscription and environment');
  if (!bicep.roles.includes("var policyEvaluationTriggerRoleId = guid(subscription().id, 'exemption-broker-policy-evaluation-trigger', environmentToken)"))
    problems.push('roles-subscription.bicep trigger role name is not deterministic per subscription and environment');

  // The exemption remover: read + delete, defined and granted only when the sweep deletes.
  const remover = defs.get('policyExemptionRemoverRoleId');
  if (!eq(remover?.actions, REMOVER_ACTIONS)) problems.push(`azuredeploy.json remover role actions are ${JSON.stringify(remover?.actions)}`);
  if (!eq(bicepList(bicep.roles, 'policyExemptionRemoverActions'), REMOVER_ACTIONS)) problems.push('roles-subscription.bicep remover role actions differ');
  if (definition('policyExemptionRemoverRoleId')?.['condition'] !== REMOVER_CONDITION) problems.push('azuredeploy.json defines the remover role unconditionally');
  if (assignment('policyExemptionRemoverRoleId')?.['condition'] !== REMOVER_CONDITION) problems.push('azuredeploy.json grants the remover role unconditionally');
  const passed = asObject(asObject(asObject(moduleDeployment(t, 'roles-*-*')['properties'])?.['parameters'])?.['grantExemptionRemoval'])?.['value'];
  if (passed !== REMOVER_SWITCH) problems.push(`azuredeploy.json turns the remover role on with ${JSON.stringify(passed)}, not sweepDeleteExpiredAfterDays > 0`);
  if (asObject(roles.template.parameters['grantExemptionRemoval'])?.['defaultValue'] !== false) problems.push('azuredeploy.json remover switch does not default to off');
  if (!/^resource policyExemptionRemoverRole '[^']+' = if \(grantExemptionRemoval\) \{/m.test(bicep.roles)) problems.push('roles-subscription.bicep defines the remover role unconditionally');
  if (!/^resource policyExemptionRemover '[^']+' = if \(grantExemptionRemoval\) \{/m.test(bicep.roles)) problems.push('roles-subscription.bicep grants the remover role unconditionally');
  if (!/^param grantExemptionRemoval bool = false$/m.test(bicep.roles)) problems.push('roles-subscription.bicep remover switch does not default to off');
  if (!/^\s+grantExemptionRemoval: sweepDeleteExpiredAfterDays > 0$/m.test(bicep.main)) problems.push('main.bicep does not turn the remover role on with sweepDeleteExpiredAfterDays > 0');
  return problems;
}

/** No custom role holds a wildcard, and no grant uses a broad built-in role (Owner, Contributor, ...). */
export function checkNothingBroad(t: Template): string[] {
  const problems: string[] = [];
  for (const scope of scopes(t)) {
    for (const role of customRoles(scope).values()) {
      for (const action of [...role.actions, ...role.dataActions]) if (action.includes('*')) problems.push(`custom role ${role.variable} grants ${action}`);
      if (role.assignableScopes.length !== 1) problems.push(`custom role ${role.variable} is assignable at ${role.assignableScopes.length} scopes`);
    }
  }
  // Every definition is one the grants checker can see (so none escapes the check above).
  const defined = resourcesOfType(t, 'Microsoft.Authorization/roleDefinitions').length;
  const seen = scopes(t).reduce((n, s) => n + customRoles(s).size, 0);
  if (defined !== seen) problems.push(`${defined - seen} role definition(s) not named by a variable`);
  const { grants: list, problems: grantProblems } = grants(t);
  problems.push(...grantProblems);
  for (const g of list) {
    if (TOO_BROAD[g.roleId]) problems.push(`${g.where}: ${TOO_BROAD[g.roleId]}`);
    // Control-plane Owner / Contributor of anything at subscription scope; data-plane and single-resource roles are scoped below.
    if (g.scope === 'subscription' && !g.custom && /Owner|Contributor/.test(BUILT_IN_ROLES[g.roleKey]?.name ?? '')) problems.push(`${g.where}: ${g.roleKey} at the subscription`);
  }
  return problems;
}
