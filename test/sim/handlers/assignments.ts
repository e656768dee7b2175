// Microsoft.Authorization/policyAssignments at 2025-03-01 (what @azure/arm-policy 7 sends): get, get by
// id, delete (by scope + name or by id: 200 with the deleted assignment, 204 when there was none; its
// exemptions stay, orphaned, as in Azure), and the four list operations with atScope() / atExactScope() /
// policyDefinitionId eq '…'.
import { notFound } from '../arm/errors.js';
import type { SeedPolicyAssignment } from '../seed-types.js';
import { parsePolicyFilter } from '../state/odata-filter.js';
import { idKey, normalizeId, splitExtensionId } from '../state/scope.js';
import type { TenantState } from '../state/tenant-state.js';
import { existingScope, scopeFromParams } from './scope-params.js';
import { ok, type Handler, type HandlerContext } from './types.js';

const TYPE = 'Microsoft.Authorization/policyAssignments';

export function assignmentScope(a: SeedPolicyAssignment): string {
  return splitExtensionId(a.id, TYPE)?.scope ?? '/';
}

export function toAssignmentResource(state: TenantState, a: SeedPolicyAssignment): object {
  const split = splitExtensionId(a.id, TYPE)!;
  const builtIn = idKey(a.policyDefinitionId).startsWith('/providers/microsoft.authorization/');
  return {
    id: normalizeId(a.id),
    name: split.name,
    type: TYPE,
    ...(a.location ? { location: a.location } : {}),
    properties: {
      displayName: a.displayName,
      ...(a.description ? { description: a.description } : {}),
      policyDefinitionId: a.policyDefinitionId,
      definitionVersion: '1.*.*',
      scope: split.scope,
      notScopes: a.notScopes ?? [],
      parameters: {},
      metadata: { assignedBy: 'Contoso Security', createdBy: state.seed.client.objectId, createdOn: '2025-01-15T09:30:00.0000000Z' },
      enforcementMode: a.enforcementMode ?? 'Default',
      assignmentType: split.name === 'SecurityCenterBuiltIn' && builtIn ? 'System' : 'Custom',
      instanceId: stableGuid(a.id),
    },
  };
}

function findAssignment(state: TenantState, id: string) {
  const a = state.policyAssignments.get(idKey(id));
  if (!a) {
    const name = splitExtensionId(id, TYPE)?.name ?? id;
    throw notFound('PolicyAssignmentNotFound', `The policy assignment '${name}' is not found.`);
  }
  return a;
}

const get: Handler = (ctx) => {
  existingScope(ctx, ctx.params.scope ?? '');
  const id = `${normalizeId(ctx.params.scope ?? '')}/providers/${TYPE}/${ctx.params.policyAssignmentName}`;
  return ok(toAssignmentResource(ctx.state, findAssignment(ctx.state, id)));
};

const getById: Handler = (ctx) => {
  const id = ctx.params.policyAssignmentId ?? '';
  existingScope(ctx, splitExtensionId(id, TYPE)?.scope ?? '');
  return ok(toAssignmentResource(ctx.state, findAssignment(ctx.state, id)));
};

function deleteAssignment(ctx: HandlerContext, id: string) {
  const a = ctx.state.policyAssignments.get(idKey(id));
  if (!a) return { status: 204 };
  const body = toAssignmentResource(ctx.state, a);
  ctx.state.policyAssignments.delete(idKey(id));
  return ok(body);
}

const remove: Handler = (ctx) => {
  existingScope(ctx, ctx.params.scope ?? '');
  return deleteAssignment(ctx, `${normalizeId(ctx.params.scope ?? '')}/providers/${TYPE}/${ctx.params.policyAssignmentName}`);
};

const removeById: Handler = (ctx) => {
  const id = ctx.params.policyAssignmentId ?? '';
  existingScope(ctx, splitExtensionId(id, TYPE)?.scope ?? '');
  return deleteAssignment(ctx, id);
};

const list: Handler = (ctx: HandlerContext) => {
  const scope = existingScope(ctx, scopeFromParams(ctx.params));
  const f = parsePolicyFilter(ctx.query.$filter, ['atScope()', 'atExactScope()', 'policyDefinitionId']);
  const above = new Set(ctx.state.ancestorsOrSelf(scope).map(idKey));
  const value = [...ctx.state.policyAssignments.values()].filter((a) => {
    const at = assignmentScope(a);
    if (f.atExactScope) return idKey(at) === idKey(scope);
    const applies = above.has(idKey(at));
    if (f.atScope || f.policyDefinitionId !== undefined) {
      return applies && (f.policyDefinitionId === undefined || idKey(a.policyDefinitionId) === idKey(f.policyDefinitionId));
    }
    // Unfiltered: what applies here plus what is assigned inside this scope.
    return applies || ctx.state.isAtOrBelow(at, scope);
  }).map((a) => toAssignmentResource(ctx.state, a));
  const top = ctx.query.$top ? Number(ctx.query.$top) : undefined;
  return ok({ value: top ? value.slice(0, top) : value });
};

export const assignmentHandlers: Record<string, Handler> = {
  PolicyAssignments_Get: get,
  PolicyAssignments_GetById: getById,
  PolicyAssignments_Delete: remove,
  PolicyAssignments_DeleteById: removeById,
  PolicyAssignments_List: list,
  PolicyAssignments_ListForResourceGroup: list,
  PolicyAssignments_ListForResource: list,
  PolicyAssignments_ListForManagementGroup: list,
};

/** A GUID derived from a string, so instanceIds are stable across runs. */
function stableGuid(s: string): string {
  let h = 0x811c9dc5;
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) {
    for (const ch of `${i}:${s.toLowerCase()}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    bytes.push(h & 0xff);
  }
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
