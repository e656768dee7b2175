// Microsoft.Security/securityStandards and standardAssignments at 2024-08-01, and assessment metadata at
// 2021-06-01 (which says whether a recommendation is policy-based or Defender-native). Beyond the schema,
// an `Exempt` assignment must name a known standard that contains its assessment key and that is assigned
// at or above the exempted scope — the sim's reading of what Defender needs to honour the exemption.
import { badRequest, notFound } from '../arm/errors.js';
import {
  assignedStandardId, SECURITY_STANDARD_TYPE, STANDARD_ASSIGNMENT_TYPE, standardAssignmentId, type StandardAssignmentResource,
} from '../state/defender-state.js';
import { idKey, normalizeId } from '../state/scope.js';
import type { SeedSecurityStandard } from '../seed-types.js';
import { existingScope } from './scope-params.js';
import { ok, type Handler, type HandlerContext } from './types.js';

type Props = Omit<StandardAssignmentResource['properties'], 'metadata'>;

function standardResource(s: SeedSecurityStandard): object {
  return {
    id: `${normalizeId(s.scope)}/providers/${SECURITY_STANDARD_TYPE}/${s.name}`,
    name: s.name,
    type: SECURITY_STANDARD_TYPE,
    properties: {
      displayName: s.displayName,
      standardType: s.standardType,
      ...(s.description !== undefined ? { description: s.description } : {}),
      assessments: s.assessmentKeys.map((assessmentKey) => ({ assessmentKey })),
      cloudProviders: s.cloudProviders,
    },
  };
}

function standardsAt(ctx: HandlerContext, scope: string): SeedSecurityStandard[] {
  const above = new Set(ctx.state.ancestorsOrSelf(scope).map(idKey));
  return ctx.state.defender.standards.filter((s) => above.has(idKey(s.scope)));
}

const listStandards: Handler = (ctx) => ok({ value: standardsAt(ctx, existingScope(ctx, ctx.params.scope ?? '')).map(standardResource) });

const getStandard: Handler = (ctx) => {
  const scope = existingScope(ctx, ctx.params.scope ?? '');
  const key = ctx.params.standardId?.replace(/[{}]/g, '').toLowerCase();
  const s = standardsAt(ctx, scope).find((x) => x.name.toLowerCase() === key);
  if (!s) throw notFound('StandardNotFound', `The security standard '${ctx.params.standardId}' was not found.`);
  return ok(standardResource(s));
};

function checkExemption(ctx: HandlerContext, scope: string, props: Props): void {
  if (props.effect !== 'Exempt') return;
  const standard = ctx.state.defender.standardFor(props.assignedStandard?.id);
  if (!standard) {
    throw badRequest('StandardNotFound', `The security standard '${props.assignedStandard?.id ?? ''}' was not found.`, 'properties.assignedStandard.id');
  }
  const key = props.exemptionData?.assignedAssessment?.assessmentKey;
  if (!key || !standard.assessmentKeys.some((k) => k.toLowerCase() === key.toLowerCase())) {
    throw badRequest('AssessmentNotInStandard', `The assessment '${key ?? ''}' is not part of the security standard '${standard.name}'.`,
      'properties.exemptionData.assignedAssessment.assessmentKey');
  }
  if (!props.exemptionData?.exemptionCategory) {
    throw badRequest('MissingExemptionCategory', 'An exemption needs exemptionData.exemptionCategory.', 'properties.exemptionData.exemptionCategory');
  }
  const above = new Set(ctx.state.ancestorsOrSelf(scope).map(idKey));
  const assigned = [...ctx.state.defender.standardAssignments.values()].some((a) => a.properties.effect !== 'Exempt'
    && idKey(a.properties.assignedStandard?.id ?? '') === idKey(assignedStandardId(standard.name))
    && above.has(idKey(a.id.slice(0, a.id.toLowerCase().lastIndexOf(`/providers/${STANDARD_ASSIGNMENT_TYPE.toLowerCase()}/`)))));
  if (!assigned) {
    throw badRequest('StandardNotAssigned', `The security standard '${standard.name}' is not assigned at or above '${scope}'.`, 'properties.assignedStandard.id');
  }
}

const create: Handler = (ctx) => {
  const scope = existingScope(ctx, ctx.params.resourceId ?? '');
  const name = ctx.params.standardAssignmentName ?? '';
  const props = ((ctx.body as { properties?: Props }).properties ?? {}) as Props;
  checkExemption(ctx, scope, props);
  const id = standardAssignmentId(scope, name);
  const existing = ctx.state.defender.standardAssignments.get(idKey(id));
  const now = ctx.now.toISOString();
  const who = ctx.principal.clientId;
  const resource: StandardAssignmentResource = {
    id: existing?.id ?? id, name: existing?.name ?? name, type: STANDARD_ASSIGNMENT_TYPE,
    properties: {
      ...props,
      metadata: {
        createdBy: existing?.properties.metadata.createdBy ?? who, createdOn: existing?.properties.metadata.createdOn ?? now,
        lastUpdatedBy: who, lastUpdatedOn: now,
      },
    },
  };
  ctx.state.defender.standardAssignments.set(idKey(id), resource);
  return ok(resource, existing ? 200 : 201);
};

const get: Handler = (ctx) => {
  const scope = existingScope(ctx, ctx.params.resourceId ?? '');
  const a = ctx.state.defender.standardAssignments.get(idKey(standardAssignmentId(scope, ctx.params.standardAssignmentName ?? '')));
  if (!a) throw notFound('StandardAssignmentNotFound', `The standard assignment '${ctx.params.standardAssignmentName}' was not found.`);
  return ok(a);
};

const remove: Handler = (ctx) => {
  const scope = existingScope(ctx, ctx.params.resourceId ?? '');
  const existed = ctx.state.defender.standardAssignments.delete(idKey(standardAssignmentId(scope, ctx.params.standardAssignmentName ?? '')));
  return { status: existed ? 200 : 204 };
};

/** Assignments made at exactly this scope; callers walk the ancestors themselves. */
const list: Handler = (ctx) => {
  const prefix = `${idKey(existingScope(ctx, ctx.params.scope ?? ''))}/providers/${STANDARD_ASSIGNMENT_TYPE.toLowerCase()}/`;
  return ok({ value: [...ctx.state.defender.standardAssignments.entries()].filter(([k]) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/')).map(([, a]) => a) });
};

/** One recommendation's metadata: a seeded policy-based one (with its policyDefinitionId) or a Defender-native one. */
const getMetadata: Handler = (ctx) => {
  const key = (ctx.params.assessmentMetadataName ?? '').toLowerCase();
  const policyBased = ctx.state.assessments.find((a) => a.name.toLowerCase() === key);
  const found = policyBased ?? ctx.state.defender.nativeMetadata(key);
  if (!found) throw notFound('AssessmentMetadataNotFound', `The assessment metadata '${ctx.params.assessmentMetadataName}' was not found.`);
  return ok({
    id: `/providers/Microsoft.Security/assessmentMetadata/${found.name}`,
    name: found.name,
    type: 'Microsoft.Security/assessmentMetadata',
    properties: found.metadata,
  });
};

export const securityStandardHandlers: Record<string, Handler> = {
  SecurityStandards_List: listStandards,
  SecurityStandards_Get: getStandard,
  StandardAssignments_Create: create,
  StandardAssignments_Get: get,
  StandardAssignments_Delete: remove,
  StandardAssignments_List: list,
  AssessmentsMetadata_Get: getMetadata,
  AssessmentsMetadata_GetInSubscription: getMetadata,
};
