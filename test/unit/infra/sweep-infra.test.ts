import { describe, expect, it } from 'vitest';
import { asObject, moduleDeployment, nestedTemplate, resourcesOfType, scopes, type JsonObject, type Template } from './arm-template.js';
import { armTemplate, readJson, readText } from './fixtures.js';
import { checkNothingBroad, checkSweepRoles, checkSweepSettings, checkSweepStorage, type BicepTexts } from './sweep-infra.js';

const bicep = (): BicepTexts => ({
  main: readText('infra', 'main.bicep'),
  functionApp: readText('infra', 'modules', 'functionapp.bicep'),
  storage: readText('infra', 'modules', 'storage.bicep'),
  roles: readText('infra', 'modules', 'roles-subscription.bicep'),
});
const appSettingsOf = (t: Template): JsonObject =>
  resourcesOfType(t, 'Microsoft.Web/sites/config')[0]!.resource['properties'] as JsonObject;
const rolesScope = (t: Template) => scopes(t).find((s) => s.path === '/roles-*-*')!;

describe('the nightly sweep in infra (azuredeploy.json and Bicep agree)', () => {
  it('caps the worker heap at what the benchmark ran with: one NODE_OPTIONS in Bicep, azuredeploy.json and bench:sweep', () => {
    const heapMb = (text: string | undefined) => /^--max-old-space-size=(\d+)$/.exec(text ?? '')?.[1];
    const inBicep = heapMb(/^\s+NODE_OPTIONS: '([^']*)'$/m.exec(bicep().functionApp)?.[1]);
    const inArm = heapMb(String(appSettingsOf(armTemplate())['NODE_OPTIONS']));
    const bench = readJson<{ scripts: Record<string, string> }>('package.json').scripts['bench:sweep'];
    const inBench = /^node --max-old-space-size=(\d+) --import tsx scripts\/bench-sweep\.ts$/.exec(bench ?? '')?.[1];
    expect(inBicep).toMatch(/^\d+$/);
    expect(inArm).toBe(inBicep);
    expect(inBench).toBe(inBicep);
  });

  it('sets every SWEEP_* setting, SWEEP_SCHEDULE always, from parameters with the catalog defaults', () => {
    expect(checkSweepSettings(armTemplate(), bicep())).toEqual([]);
  });

  it('fails when a setting, its default or its wiring goes missing on either side', () => {
    const t = armTemplate();
    delete appSettingsOf(t)['SWEEP_SCHEDULE'];
    t.parameters['sweepWarnDays']!['defaultValue'] = '14';
    delete (asObject(moduleDeployment(t, 'functionapp')['properties'])!['parameters'] as JsonObject)['sweepDigestTo'];
    appSettingsOf(t)['SWEEP_DELETE_EXPIRED_AFTER_DAYS'] = "[string(parameters('sweepDeleteExpiredAfterDays'))]";
    expect(checkSweepSettings(t, bicep())).toEqual([
      'azuredeploy.json does not set SWEEP_SCHEDULE',
      'azuredeploy.json sets SWEEP_SCHEDULE to undefined, not 0 0 2 * * *',
      'azuredeploy.json parameter sweepWarnDays defaults to "14", not "30,7,1"',
      'azuredeploy.json does not pass sweepDigestTo to the function app',
      'azuredeploy.json does not leave SWEEP_DELETE_EXPIRED_AFTER_DAYS empty when the parameter is 0',
    ]);
    const b = bicep();
    b.functionApp = b.functionApp.replace(/^\s+SWEEP_SCOPE: sweepScope\n/m, '').replace("SWEEP_SCHEDULE: '0 0 2 * * *'", "SWEEP_SCHEDULE: '0 0 3 * * *'");
    b.main = b.main.replace("param sweepDefenderLagHours int = 24", 'param sweepDefenderLagHours int = 48');
    expect(checkSweepSettings(armTemplate(), b)).toEqual([
      'functionapp.bicep does not set SWEEP_SCOPE',
      "functionapp.bicep does not set SWEEP_SCHEDULE to '0 0 2 * * *'",
      'functionapp.bicep does not set SWEEP_SCOPE from sweepScope',
      'main.bicep parameter sweepDefenderLagHours does not default to 24',
    ]);
  });

  it('creates the sweep queue and the runs and findings tables', () => {
    expect(checkSweepStorage(armTemplate(), bicep())).toEqual([]);
    const t = armTemplate();
    const vars = t['variables'] as JsonObject;
    vars['queueNames'] = (vars['queueNames'] as string[]).filter((q) => q !== 'exemption-sweep');
    vars['tableNames'] = (vars['tableNames'] as string[]).filter((q) => q !== 'sweepfindings');
    const b = bicep();
    b.main = b.main.replace(/^\s+'sweepruns'\n/m, '');
    expect(checkSweepStorage(t, b)).toEqual([
      'main.bicep tableNames lacks sweepruns',
      'azuredeploy.json tableNames lacks sweepfindings',
      'azuredeploy.json queueNames lacks exemption-sweep',
    ]);
    const storage = nestedTemplate(moduleDeployment(t, 'storage'))!;
    storage.resources = storage.resources.filter((r) => r['type'] !== 'Microsoft.Storage/storageAccounts/queueServices/queues');
    expect(checkSweepStorage(t, bicep())).toContain('azuredeploy.json storage does not create a queue per queueNames entry');
  });

  it('grants the evaluation trigger (exactly one action) always, and the exemption remover only when deletion is on', () => {
    expect(checkSweepRoles(armTemplate(), bicep())).toEqual([]);
  });

  it('fails when the trigger role grows or the remover stops being conditional, on either side', () => {
    const t = armTemplate();
    const vars = asObject(rolesScope(t).template['variables'])!;
    (vars['policyEvaluationTriggerActions'] as string[]).push('Microsoft.PolicyInsights/remediations/write');
    for (const r of rolesScope(t).template.resources) if (String(r['name']).includes('policyExemptionRemoverRoleId')) delete r['condition'];
    expect(checkSweepRoles(t, bicep())).toEqual([
      'azuredeploy.json trigger role actions are ["Microsoft.PolicyInsights/policyStates/triggerEvaluation/action","Microsoft.PolicyInsights/remediations/write"]',
      'azuredeploy.json defines the remover role unconditionally',
      'azuredeploy.json grants the remover role unconditionally',
    ]);
    const b = bicep();
    b.roles = b.roles.replaceAll(' = if (grantExemptionRemoval) {', ' = {');
    b.main = b.main.replace('grantExemptionRemoval: sweepDeleteExpiredAfterDays > 0', 'grantExemptionRemoval: true');
    expect(checkSweepRoles(armTemplate(), b)).toEqual([
      'roles-subscription.bicep defines the remover role unconditionally',
      'roles-subscription.bicep grants the remover role unconditionally',
      'main.bicep does not turn the remover role on with sweepDeleteExpiredAfterDays > 0',
    ]);
    const gone = armTemplate();
    rolesScope(gone).template.resources = rolesScope(gone).template.resources.filter((r) => !String(r['name']).includes('policyEvaluationTriggerRoleId'));
    expect(checkSweepRoles(gone, bicep())).toEqual([
      'azuredeploy.json trigger role actions are undefined',
      'azuredeploy.json does not grant the trigger role',
    ]);
  });

  it('no role grants a wildcard, Owner or Contributor', () => {
    expect(checkNothingBroad(armTemplate())).toEqual([]);
    const t = armTemplate();
    const vars = asObject(rolesScope(t).template['variables'])!;
    vars['policyExemptionRemoverActions'] = ['Microsoft.Authorization/policyExemptions/*'];
    vars['roleIds'] = { ...(vars['roleIds'] as JsonObject), contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c' };
    const reader = rolesScope(t).template.resources.find((r) => String(r['name']).includes("variables('roleIds').reader"))!;
    reader['name'] = "[guid(subscription().id, parameters('principalId'), variables('roleIds').contributor)]";
    (reader['properties'] as JsonObject)['roleDefinitionId'] = "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('roleIds').contributor)]";
    const where = "/roles-*-*:[guid(subscription().id, parameters('principalId'), variables('roleIds').contributor)]";
    expect(checkNothingBroad(t)).toEqual([
      'custom role policyExemptionRemoverRoleId grants Microsoft.Authorization/policyExemptions/*',
      `${where}: contributor is Contributor, broader than the app needs`,
      `${where}: role contributor is not a known built-in role`,
      `${where}: Contributor`,
    ]);
  });

  it('host.json lets one sweep invocation run an hour (Flex Consumption stops it at 30 minutes otherwise)', () => {
    const timeout = readJson<{ functionTimeout?: string }>('host.json').functionTimeout ?? '';
    const [h, m, sec] = (/^(\d{2}):(\d{2}):(\d{2})$/.exec(timeout) ?? []).slice(1).map(Number);
    expect(timeout, 'functionTimeout').toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(((h! * 60 + m!) * 60 + sec!) / 60).toBeGreaterThanOrEqual(60);
  });
});
