// Microsoft.Authorization/policyExemptions at 2024-12-01-preview, with the rules ARM enforces beyond the
// schema: documented length limits, the exempt/action permission, the assignment's existence and scope,
// and reference ids that must belong to the assignment's initiative.
import { ArmError, badRequest, invalidRequestContent, notFound } from '../arm/errors.js';
import { parsePolicyFilter } from '../state/odata-filter.js';
import { idKey, splitExtensionId } from '../state/scope.js';
import type { PolicyExemptionResource, SimProblem } from '../types.js';
import { assignmentScope } from './assignments.js';
import { existingScope, scopeFromParams } from './scope-params.js';
import { ok, type Handler, type HandlerContext } from './types.js';

const TYPE = 'Microsoft.Authorization/policyExemptions';
/** Documented limits the swagger does not carry (maxLength is absent from the spec). */
export const EXEMPTION_LIMITS = { displayName: 128, description: 512 } as const;

type Props = PolicyExemptionResource['properties'];

const exemptionId = (scope: string, name: string): string => `${scope === '/' ? '' : scope}/providers/${TYPE}/${name}`;

function notFoundExemption(name: string): ArmError {
  return notFound('PolicyExemptionNotFound', `The policy exemption '${name}' is not found.`);
}

function checkLimits(props: Props): void {
  const problems: SimProblem[] = [];
  for (const [key, max] of Object.entries(EXEMPTION_LIMITS) as Array<[keyof typeof EXEMPTION_LIMITS, number]>) {
    const v = props[key];
    if (typeof v === 'string' && v.length > max) {
      problems.push({ target: `/properties/${key}`, message: `must NOT have more than ${max} characters (got ${v.length})`, keyword: 'maxLength' });
    }
  }
  if (problems.length) throw invalidRequestContent(problems);
}

function checkAssignment(ctx: HandlerContext, scope: string, props: Props): void {
  const assignment = ctx.state.policyAssignments.get(idKey(props.policyAssignmentId));
  if (!assignment) {
    throw notFound('PolicyAssignmentNotFound', `The policy assignment '${props.policyAssignmentId}' is not found.`);
  }
  const atScope = assignmentScope(assignment);
  if (props.assignmentScopeValidation !== 'DoNotValidate' && !ctx.state.isAtOrBelow(scope, atScope)) {
    throw badRequest('InvalidPolicyExemptionScope',
      `The policy exemption scope '${scope}' must be at or under the scope '${atScope}' of policy assignment '${props.policyAssignmentId}'.`,
      'properties.policyAssignmentId');
  }
  const refs = props.policyDefinitionReferenceIds ?? [];
  const { set } = ctx.state.assignmentMembers(assignment);
  if (!set && refs.length) {
    throw badRequest('InvalidPolicyDefinitionReferenceIds',
      `The policy assignment '${props.policyAssignmentId}' assigns a policy definition, not a policy set definition: policyDefinitionReferenceIds must be empty.`,
      'properties.policyDefinitionReferenceIds');
  }
  const known = new Set(set?.policyDefinitions.map((d) => d.policyDefinitionReferenceId.toLowerCase()));
  const unknown = set ? refs.filter((r) => !known.has(r.toLowerCase())) : [];
  if (unknown.length) {
    throw badRequest('PolicyDefinitionReferenceIdNotFound',
      `The policy definition reference ids '${unknown.join("', '")}' are not found in policy set definition '${set!.id}'.`,
      'properties.policyDefinitionReferenceIds');
  }
}

function denied(ctx: HandlerContext, scope: string): ArmError {
  const who = ctx.principal.objectId;
  return new ArmError(403, 'AuthorizationFailed',
    `The client '${who}' with object id '${who}' does not have authorization to perform action `
    + `'Microsoft.Authorization/policyAssignments/exempt/action' over scope '${scope}' or the scope is invalid. `
    + 'If access was recently granted, please refresh your credentials.');
}

const createOrUpdate: Handler = (ctx) => {
  const scope = existingScope(ctx, ctx.params.scope ?? '');
  const name = ctx.params.policyExemptionName ?? '';
  const props = ((ctx.body as { properties?: Props }).properties ?? {}) as Props;
  checkLimits(props);
  if (ctx.state.exemptDenied(scope)) throw denied(ctx, scope);
  checkAssignment(ctx, scope, props);

  const id = exemptionId(scope, name);
  const existing = ctx.state.exemptions.get(idKey(id));
  const now = ctx.now.toISOString();
  const properties = Object.fromEntries(Object.entries({
    ...props,
    policyDefinitionReferenceIds: props.policyDefinitionReferenceIds ?? [],
    assignmentScopeValidation: props.assignmentScopeValidation ?? 'Default',
  }).filter(([, v]) => v !== null && v !== undefined)) as Props;
  const resource: PolicyExemptionResource = {
    id: existing?.id ?? id, name: existing?.name ?? name, type: TYPE,
    systemData: {
      createdBy: existing?.systemData.createdBy ?? ctx.principal.clientId,
      createdByType: existing?.systemData.createdByType ?? 'Application',
      createdAt: existing?.systemData.createdAt ?? now,
      lastModifiedBy: ctx.principal.clientId, lastModifiedByType: 'Application', lastModifiedAt: now,
    },
    properties,
  };
  ctx.state.exemptions.set(idKey(id), resource);
  return ok(resource, existing ? 200 : 201);
};

const get: Handler = (ctx) => {
  const scope = existingScope(ctx, ctx.params.scope ?? '');
  const e = ctx.state.exemptions.get(idKey(exemptionId(scope, ctx.params.policyExemptionName ?? '')));
  if (!e) throw notFoundExemption(ctx.params.policyExemptionName ?? '');
  return ok(e);
};

const update: Handler = (ctx) => {
  const scope = existingScope(ctx, ctx.params.scope ?? '');
  const e = ctx.state.exemptions.get(idKey(exemptionId(scope, ctx.params.policyExemptionName ?? '')));
  if (!e) throw notFoundExemption(ctx.params.policyExemptionName ?? '');
  const patch = (ctx.body as { properties?: Partial<Props> }).properties ?? {};
  if (patch.resourceSelectors !== undefined) e.properties.resourceSelectors = patch.resourceSelectors;
  if (patch.assignmentScopeValidation !== undefined) e.properties.assignmentScopeValidation = patch.assignmentScopeValidation;
  e.systemData = { ...e.systemData, lastModifiedBy: ctx.principal.clientId, lastModifiedByType: 'Application', lastModifiedAt: ctx.now.toISOString() };
  return ok(e);
};

const remove: Handler = (ctx) => {
  const scope = existingScope(ctx, ctx.params.scope ?? '');
  const key = idKey(exemptionId(scope, ctx.params.policyExemptionName ?? ''));
  const existed = ctx.state.exemptions.delete(key);
  ctx.state.exemptionManagementModes.delete(key);
  return { status: existed ? 200 : 204 };
};

const list: Handler = (ctx) => {
  const scope = existingScope(ctx, scopeFromParams(ctx.params));
  const f = parsePolicyFilter(ctx.query.$filter, ['atScope()', 'atExactScope()', 'excludeExpired()', 'policyAssignmentId']);
  const above = new Set(ctx.state.ancestorsOrSelf(scope).map(idKey));
  const value = [...ctx.state.exemptions.values()].filter((e) => {
    const at = splitExtensionId(e.id, TYPE)?.scope ?? '/';
    if (f.atExactScope ? idKey(at) !== idKey(scope)
      : f.atScope ? !above.has(idKey(at))
        : !(above.has(idKey(at)) || ctx.state.isAtOrBelow(at, scope))) return false;
    if (f.excludeExpired && e.properties.expiresOn && Date.parse(e.properties.expiresOn) <= ctx.now.getTime()) return false;
    if (f.policyAssignmentId !== undefined && idKey(e.properties.policyAssignmentId) !== idKey(f.policyAssignmentId)) return false;
    return true;
  });
  return ok({ value });
};

export const exemptionHandlers: Record<string, Handler> = {
  PolicyExemptions_CreateOrUpdate: createOrUpdate,
  PolicyExemptions_Get: get,
  PolicyExemptions_Update: update,
  PolicyExemptions_Delete: remove,
  PolicyExemptions_List: list,
  PolicyExemptions_ListForResourceGroup: list,
  PolicyExemptions_ListForResource: list,
  PolicyExemptions_ListForManagementGroup: list,
};

