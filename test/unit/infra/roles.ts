/**
 * Role assignments in azuredeploy.json: which built-in or custom role, at which kind of scope,
 * and whether the names and ids are the ones the names claim.
 */
import { calls, isExpression, parseExpression, print, type Expr } from './arm-expr.js';
import { asObject, resourcesOfType, type Json, type Scope, type Template } from './arm-template.js';

/** Built-in role definition ids (Azure's, fixed across tenants), by the key the templates use. */
export const BUILT_IN_ROLES: Record<string, { name: string; id: string }> = {
  securityReader: { name: 'Security Reader', id: '39bc4728-0917-49c7-9d2c-d95423bc2eb4' },
  reader: { name: 'Reader', id: 'acdd72a7-3385-48ef-bd42-f606fba81ae7' },
  storageBlobDataOwner: { name: 'Storage Blob Data Owner', id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' },
  storageQueueDataContributor: { name: 'Storage Queue Data Contributor', id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' },
  storageTableDataContributor: { name: 'Storage Table Data Contributor', id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' },
  monitoringMetricsPublisher: { name: 'Monitoring Metrics Publisher', id: '3913510d-42f4-4e42-8a64-420c390055eb' },
  keyVaultSecretsUser: { name: 'Key Vault Secrets User', id: '4633458b-17de-408a-b874-0445c86b69e6' },
  keyVaultSecretsOfficer: { name: 'Key Vault Secrets Officer', id: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7' },
  communicationAndEmailServiceOwner: { name: 'Communication and Email Service Owner', id: '09976791-48a7-449e-bb21-39d1a415f350' },
};

/** Built-in roles broader than the app needs, which no assignment may use. */
export const TOO_BROAD: Record<string, string> = {
  '36243c78-bf99-498c-9df9-86d9f8d28608': 'Resource Policy Contributor (can also change policy assignments and definitions)',
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': 'Owner',
  'b24988ac-6180-42a0-ab88-20f7382dd24c': 'Contributor',
  'fb1c8493-542b-48eb-b624-b4c8fea62acd': 'Security Admin (can also change security policies, pricing and contacts, dismiss alerts, open just-in-time VM access, and write policy assignments and definitions)',
};

/** A custom role the template defines (Microsoft.Authorization/roleDefinitions). */
export interface CustomRole {
  variable: string;
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
  assignableScopes: string[];
  type: string;
}

export interface Grant {
  /** "subscription", "resourceGroup" or the resource type of the scope. */
  scope: string;
  roleKey: string;
  roleId: string;
  principal: string;
  conditional: boolean;
  where: string;
  /** Set when the role is a custom role defined by the template. */
  custom?: CustomRole;
}

const resolve = (scope: Scope, v: Json | undefined): Json | undefined => {
  // "[variables('x')]" -> the variable's value (one level, enough for action lists).
  const m = typeof v === 'string' ? /^\[variables\('(\w+)'\)\]$/.exec(v) : null;
  return m ? asObject(scope.template['variables'])?.[m[1]!] : v;
};
const strings = (v: Json | undefined): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Custom roles declared in one scope, by the variable holding their name (guid). */
export function customRoles(scope: Scope): Map<string, CustomRole> {
  const out = new Map<string, CustomRole>();
  for (const r of scope.template.resources ?? []) {
    if (String(r['type']).toLowerCase() !== 'microsoft.authorization/roledefinitions') continue;
    const variable = /^\[variables\('(\w+)'\)\]$/.exec(String(r['name']))?.[1];
    const props = asObject(r['properties']) ?? {};
    const perms = asObject((Array.isArray(props['permissions']) ? props['permissions'][0] : undefined) as Json) ?? {};
    if (!variable) continue;
    out.set(variable, {
      variable,
      actions: strings(resolve(scope, perms['actions'])),
      notActions: strings(resolve(scope, perms['notActions'])),
      dataActions: strings(resolve(scope, perms['dataActions'])),
      notDataActions: strings(resolve(scope, perms['notDataActions'])),
      assignableScopes: strings(resolve(scope, props['assignableScopes'])),
      type: String(props['type']),
    });
  }
  return out;
}

function roleKeyOf(e: Expr): string | undefined {
  // variables('roleIds').key
  if (e.kind === 'prop' && e.target.kind === 'call' && e.target.name === 'variables') return e.name;
  return undefined;
}

function scopeKind(s: Scope, resource: { [k: string]: Json }): string {
  const scope = resource['scope'];
  if (typeof scope === 'string' && isExpression(scope)) {
    const e = parseExpression(scope);
    if (e.kind === 'call' && e.name === 'format' && e.args[0]?.kind === 'str') return e.args[0].value.replace(/\/\{\d+\}$/, '');
    return print(e);
  }
  return /subscriptionDeploymentTemplate/.test(s.template.$schema) ? 'subscription' : 'resourceGroup';
}

export function grants(root: Template): { grants: Grant[]; problems: string[] } {
  const out: Grant[] = [];
  const problems: string[] = [];
  for (const { scope, resource } of resourcesOfType(root, 'Microsoft.Authorization/roleAssignments')) {
    const where = `${scope.path || 'root'}:${String(resource['name'])}`;
    const props = asObject(resource['properties']) ?? {};
    const roleDef = parseExpression(String(props['roleDefinitionId']));
    const inner = roleDef.kind === 'call' && roleDef.name === 'subscriptionResourceId' ? roleDef.args[1] : undefined;
    const key = inner && roleKeyOf(inner);
    const roleIds = asObject(asObject(scope.template['variables'])?.['roleIds']) ?? {};
    // A custom role: subscriptionResourceId('…/roleDefinitions', variables('x')) of a definition in this scope.
    const customVar = inner?.kind === 'call' && inner.name === 'variables' && inner.args[0]?.kind === 'str' ? inner.args[0].value : undefined;
    const custom = customVar ? customRoles(scope).get(customVar) : undefined;
    if (!custom && (!key || typeof roleIds[key] !== 'string')) {
      problems.push(`${where}: roleDefinitionId is not subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('roleIds').<role>) or a custom role the template defines`);
      continue;
    }
    const roleKey = custom ? custom.variable : key!;
    const roleId = custom ? `variables('${custom.variable}')` : (roleIds[key!] as string);
    if (!custom) {
      const builtIn = BUILT_IN_ROLES[roleKey];
      if (TOO_BROAD[roleId]) problems.push(`${where}: ${roleKey} is ${TOO_BROAD[roleId]}, broader than the app needs`);
      if (!builtIn) problems.push(`${where}: role ${roleKey} is not a known built-in role`);
      else if (builtIn.id !== roleId) problems.push(`${where}: ${roleKey} has id ${roleId} but ${builtIn.name} is ${builtIn.id}`);
    }
    const principal = print(parseExpression(String(props['principalId'])));
    // Names must be guid(scope, principal, role) so that a redeploy finds the same assignment. A
    // principal created in the same deployment is named by its resource id (known before it exists).
    const name = parseExpression(String(resource['name']));
    const samePrincipal = (e: Expr): boolean => print(e) === principal || principal === `reference(${print(e)}, '2023-01-31').principalId`;
    const sameRole = (e: Expr): boolean => (custom ? print(e) === roleId : roleKeyOf(e) === roleKey);
    const ok = name.kind === 'call' && name.name === 'guid' && name.args.length === 3 && samePrincipal(name.args[1]!) && sameRole(name.args[2]!);
    if (!ok) problems.push(`${where}: name is not guid(scope, principalId, roleId)`);
    if (calls(name, 'newGuid').length) problems.push(`${where}: name is not deterministic`);
    out.push({
      scope: scopeKind(scope, resource), roleKey, roleId, principal, conditional: 'condition' in resource, where, ...(custom ? { custom } : {}),
    });
  }
  return { grants: out, problems };
}
