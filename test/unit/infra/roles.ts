/**
 * Role assignments in azuredeploy.json: which built-in role, at which kind of scope, and
 * whether the names and ids are the ones the names claim.
 */
import { calls, isExpression, parseExpression, print, type Expr } from './arm-expr.js';
import { asObject, resourcesOfType, type Json, type Scope, type Template } from './arm-template.js';

/** Built-in role definition ids (Azure's, fixed across tenants), by the key the templates use. */
export const BUILT_IN_ROLES: Record<string, { name: string; id: string }> = {
  securityReader: { name: 'Security Reader', id: '39bc4728-0917-49c7-9d2c-d95423bc2eb4' },
  resourcePolicyContributor: { name: 'Resource Policy Contributor', id: '36243c78-bf99-498c-9df9-86d9f8d28608' },
  reader: { name: 'Reader', id: 'acdd72a7-3385-48ef-bd42-f606fba81ae7' },
  storageBlobDataOwner: { name: 'Storage Blob Data Owner', id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' },
  storageQueueDataContributor: { name: 'Storage Queue Data Contributor', id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' },
  storageTableDataContributor: { name: 'Storage Table Data Contributor', id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' },
  monitoringMetricsPublisher: { name: 'Monitoring Metrics Publisher', id: '3913510d-42f4-4e42-8a64-420c390055eb' },
  keyVaultSecretsUser: { name: 'Key Vault Secrets User', id: '4633458b-17de-408a-b874-0445c86b69e6' },
  keyVaultSecretsOfficer: { name: 'Key Vault Secrets Officer', id: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7' },
  communicationAndEmailServiceOwner: { name: 'Communication and Email Service Owner', id: '09976791-48a7-449e-bb21-39d1a415f350' },
};

export interface Grant {
  /** "subscription", "resourceGroup" or the resource type of the scope. */
  scope: string;
  roleKey: string;
  roleId: string;
  principal: string;
  conditional: boolean;
  where: string;
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
    if (!key || typeof roleIds[key] !== 'string') {
      problems.push(`${where}: roleDefinitionId is not subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('roleIds').<role>)`);
      continue;
    }
    const roleId = roleIds[key] as string;
    const builtIn = BUILT_IN_ROLES[key];
    if (!builtIn) problems.push(`${where}: role ${key} is not a known built-in role`);
    else if (builtIn.id !== roleId) problems.push(`${where}: ${key} has id ${roleId} but ${builtIn.name} is ${builtIn.id}`);
    const principal = print(parseExpression(String(props['principalId'])));
    // Names must be guid(scope, principal, role) so that a redeploy finds the same assignment.
    const name = parseExpression(String(resource['name']));
    const ok =
      name.kind === 'call' && name.name === 'guid' && name.args.length === 3 &&
      print(name.args[1]!) === principal && roleKeyOf(name.args[2]!) === key;
    if (!ok) problems.push(`${where}: name is not guid(scope, principalId, roleId)`);
    if (calls(name, 'newGuid').length) problems.push(`${where}: name is not deterministic`);
    out.push({ scope: scopeKind(scope, resource), roleKey: key, roleId, principal, conditional: 'condition' in resource, where });
  }
  return { grants: out, problems };
}
