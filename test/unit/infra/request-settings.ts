/**
 * Settings that shape requests (how wide a scope one may name, how long relay events coalesce), wired
 * in azuredeploy.json and Bicep alike: a deployer parameter with the documented default and bounds,
 * handed to the app module and set as the app setting. Problems are returned, not thrown, so tests
 * can also break copies on purpose.
 */
import { armAppSettings } from './app-settings.js';
import { asObject, moduleDeployment, nestedTemplate, type Template } from './arm-template.js';
import { parseBicep } from './bicep-decls.js';

export interface RequestSetting {
  setting: string;
  param: string;
  type: 'string' | 'int';
  default: string | number;
  allowed?: readonly string[];
  min?: number;
  max?: number;
  /** The app setting's value in azuredeploy.json and in functionapp.bicep. */
  arm: string;
  bicep: string;
}

export const REQUEST_SETTINGS: readonly RequestSetting[] = [
  {
    setting: 'MAX_SCOPE_LEVEL', param: 'maxScopeLevel', type: 'string', default: 'resourceGroup',
    allowed: ['resource', 'resourceGroup', 'subscription'],
    arm: "[parameters('maxScopeLevel')]", bicep: 'maxScopeLevel',
  },
  {
    setting: 'COALESCE_WINDOW_SECONDS', param: 'coalesceWindowSeconds', type: 'int', default: 60, min: 0, max: 900,
    arm: "[string(parameters('coalesceWindowSeconds'))]", bicep: 'string(coalesceWindowSeconds)',
  },
];

export interface RequestSettingTexts {
  main: string;
  functionApp: string;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A Bicep decorator's argument written just above `param <name>` (one decorator block per param). */
function decorator(text: string, param: string, name: string): string | undefined {
  const at = text.search(new RegExp(`^param ${param} `, 'm'));
  if (at < 0) return undefined;
  const before = text.slice(0, at).split(/\n(?=param |resource |module |var |output )/).pop() ?? '';
  return new RegExp(`@${name}\\((-?\\d+)\\)`).exec(before)?.[1];
}

export function checkRequestSettings(t: Template, bicep: RequestSettingTexts): string[] {
  const problems: string[] = [];
  const arm = armAppSettings(t);
  const main = parseBicep(bicep.main);
  const app = nestedTemplate(moduleDeployment(t, 'functionapp'))!;
  const given = asObject(asObject(moduleDeployment(t, 'functionapp')['properties'])?.['parameters']) ?? {};
  for (const s of REQUEST_SETTINGS) {
    const p = t.parameters[s.param];
    if (!p) problems.push(`azuredeploy.json has no parameter ${s.param}`);
    else {
      if (p['type'] !== s.type || p['defaultValue'] !== s.default) problems.push(`azuredeploy.json parameter ${s.param} is not ${s.type} defaulting to ${JSON.stringify(s.default)}`);
      if (s.allowed && !same(p['allowedValues'], s.allowed)) problems.push(`azuredeploy.json parameter ${s.param} allows ${JSON.stringify(p['allowedValues'])}`);
      if (s.min !== undefined && (p['minValue'] !== s.min || p['maxValue'] !== s.max)) problems.push(`azuredeploy.json parameter ${s.param} is not bounded ${s.min}..${s.max}`);
    }
    const b = main.params.get(s.param);
    const bicepDefault = new RegExp(`^param ${s.param} \\w+ = '?([^'\\n]*)'?$`, 'm').exec(bicep.main)?.[1];
    if (b?.type !== s.type || bicepDefault !== String(s.default)) problems.push(`main.bicep parameter ${s.param} is not ${s.type} defaulting to ${JSON.stringify(s.default)}`);
    if (s.allowed && !same(b?.allowed, s.allowed)) problems.push(`main.bicep parameter ${s.param} allows ${JSON.stringify(b?.allowed)}`);
    if (s.min !== undefined && (decorator(bicep.main, s.param, 'minValue') !== String(s.min) || decorator(bicep.main, s.param, 'maxValue') !== String(s.max)))
      problems.push(`main.bicep parameter ${s.param} is not bounded ${s.min}..${s.max}`);
    if (asObject(given[s.param])?.['value'] !== `[parameters('${s.param}')]`) problems.push(`azuredeploy.json does not pass ${s.param} to the function app`);
    if (!new RegExp(`^\\s+${s.param}: ${s.param}$`, 'm').test(bicep.main)) problems.push(`main.bicep does not pass ${s.param} to the function app`);
    if (app.parameters[s.param]?.['type'] !== s.type) problems.push(`the function app template does not declare ${s.type} ${s.param}`);
    if (!new RegExp(`^param ${s.param} ${s.type}$`, 'm').test(bicep.functionApp)) problems.push(`functionapp.bicep does not declare ${s.type} ${s.param}`);
    if (arm[s.setting] !== s.arm) problems.push(`azuredeploy.json sets ${s.setting} to ${JSON.stringify(arm[s.setting])}, not ${s.arm}`);
    if (!new RegExp(`^\\s+${s.setting}: ${escape(s.bicep)}$`, 'm').test(bicep.functionApp)) problems.push(`functionapp.bicep does not set ${s.setting}: ${s.bicep}`);
  }
  return problems;
}
