/**
 * The function app's settings as the templates set them, and the agreement rules between them
 * and lib/config/settings-catalog.ts.
 */
import { objectKeys } from './bicep-decls.js';
import { asObject, resourcesOfType, type Json, type Template } from './arm-template.js';

/** Settings that Flex Consumption refuses (it sets the runtime and the package itself). */
export const FLEX_REJECTED = [
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_EXTENSION_VERSION',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
  'WEBSITE_CONTENTSHARE',
  'SCM_DO_BUILD_DURING_DEPLOYMENT',
  'ENABLE_ORYX_BUILD',
  'WEBSITE_TIME_ZONE',
] as const;

/** Every app setting in the template: the appsettings config resources and any siteConfig.appSettings. */
export function armAppSettings(root: Template): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const { resource } of resourcesOfType(root, 'Microsoft.Web/sites/config')) {
    if (!/appsettings'?\)?\]?$/.test(String(resource['name']))) continue;
    for (const [k, v] of Object.entries(asObject(resource['properties']) ?? {})) settings[k] = String(v);
  }
  for (const { resource } of resourcesOfType(root, 'Microsoft.Web/sites')) {
    const list = asObject(asObject(resource['properties'])?.['siteConfig'])?.['appSettings'];
    for (const item of Array.isArray(list) ? list : []) {
      const o = asObject(item as Json);
      if (o) settings[String(o['name'])] = String(o['value']);
    }
  }
  return settings;
}

/** The keys of the appsettings resource's properties in functionapp.bicep. */
export function bicepAppSettingNames(text: string): string[] {
  const at = text.search(/^resource\s+\w+\s+'Microsoft\.Web\/sites\/config@/m);
  if (at < 0) return [];
  return objectKeys(text.slice(at), /^\s{2}properties:\s*\{/);
}

export interface CatalogEntry {
  readonly kind: string;
  readonly default?: string;
}

export interface SettingsRules {
  /** Settings the host (not the code) reads. */
  hostOwned: readonly string[];
  /** Settings the code reads that Azure deliberately leaves unset. */
  leftToLocal: readonly string[];
}

/** Problems in both directions between the template's settings and the catalog. */
export function checkSettings(template: Record<string, string>, catalog: Record<string, CatalogEntry>, rules: SettingsRules): string[] {
  const problems: string[] = [];
  const names = Object.keys(template);
  for (const name of names) {
    if (!(name in catalog) && !rules.hostOwned.includes(name)) problems.push(`app setting ${name} is not read by the code`);
    if ((FLEX_REJECTED as readonly string[]).includes(name)) problems.push(`app setting ${name} is rejected by Flex Consumption`);
  }
  for (const [name, spec] of Object.entries(catalog)) {
    if (names.includes(name)) {
      if (rules.leftToLocal.includes(name)) problems.push(`setting ${name} is meant for local runs but the template sets it`);
      const isRef = /@Microsoft\.KeyVault\(SecretUri=/.test(template[name]!);
      if (spec.kind === 'secret' && !isRef) problems.push(`secret ${name} is not a Key Vault reference`);
      if (spec.kind !== 'secret' && isRef) problems.push(`setting ${name} is a Key Vault reference but not a secret in the catalog`);
    } else if (!rules.leftToLocal.includes(name) && spec.default === undefined) {
      problems.push(`setting ${name} is read by the code but not set by the template`);
    }
  }
  for (const name of rules.leftToLocal) if (!(name in catalog)) problems.push(`left-to-local setting ${name} is not in the catalog any more`);
  for (const name of rules.hostOwned) if (name in catalog) problems.push(`host-owned setting ${name} is in the catalog: drop it from the allow-list`);
  return problems;
}
