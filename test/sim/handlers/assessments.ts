// Microsoft.Security/assessments at 2021-06-01, answered the way @azure/arm-security 5.x reads them.
import { notFound } from '../arm/errors.js';
import type { SeedAssessment, SeedNativeAssessment } from '../seed-types.js';
import { idKey, normalizeId } from '../state/scope.js';
import { ok, type Handler, type HandlerContext } from './types.js';

const PORTAL = 'https://portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/';
// Fixed evaluation dates keep responses stable between runs.
const FIRST_EVALUATED = '2025-05-01T08:00:00Z';
const STATUS_CHANGED = '2025-05-20T08:00:00Z';

function toResource(a: SeedAssessment | SeedNativeAssessment, resourceId: string, expand?: string): object {
  return {
    id: `${resourceId}/providers/Microsoft.Security/assessments/${a.name}`,
    name: a.name,
    type: 'Microsoft.Security/assessments',
    properties: {
      resourceDetails: { source: 'Azure', id: resourceId },
      displayName: a.displayName,
      status: { ...a.status, firstEvaluationDate: FIRST_EVALUATED, statusChangeDate: STATUS_CHANGED },
      ...('additionalData' in a && a.additionalData ? { additionalData: a.additionalData } : {}),
      ...(expand?.toLowerCase() === 'metadata' ? { metadata: a.metadata } : {}),
      ...(expand?.toLowerCase() === 'links' ? { links: { azurePortalUri: `${PORTAL}${a.name}` } } : {}),
    },
  };
}

function requireScope(ctx: HandlerContext, raw: string): string {
  const canonical = ctx.state.canonical(raw);
  if (canonical) return canonical;
  const missing = ctx.state.missingScopeError(raw)!;
  throw notFound(missing.code, missing.message);
}

const get: Handler = (ctx) => {
  const resourceId = requireScope(ctx, ctx.params.resourceId ?? '');
  const key = ctx.params.assessmentName?.toLowerCase();
  const at = (x: { resourceId: string; name: string }) => idKey(x.resourceId) === idKey(resourceId) && x.name.toLowerCase() === key;
  // Defender-native assessments (no policy) live beside the policy-based seed; see SeedDefender.
  const a = ctx.state.assessments.find(at) ?? ctx.state.defender.assessments.find(at);
  if (!a) {
    throw notFound('AssessmentNotFound', `The assessment '${ctx.params.assessmentName}' was not found on resource '${normalizeId(resourceId)}'.`);
  }
  return ok(toResource(a, resourceId, ctx.query.$expand));
};

const list: Handler = (ctx) => {
  const scope = requireScope(ctx, ctx.params.scope ?? '');
  const value = ctx.state.assessments
    .filter((a) => ctx.state.isAtOrBelow(a.resourceId, scope))
    .map((a) => toResource(a, ctx.state.canonical(a.resourceId) ?? normalizeId(a.resourceId)));
  return ok({ value });
};

export const assessmentHandlers: Record<string, Handler> = {
  Assessments_Get: get,
  Assessments_List: list,
};
