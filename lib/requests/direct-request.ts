import { zod } from '../core/lazy-zod.js';
import { assignmentCovers, parsePolicyAssignmentId } from '../azure/policy-assignment-id.js';
import { parseResourceId } from '../azure/resource-id.js';
import type { IntakeLimits, ParseResult } from './intake-command.js';
import { intakeFields, problemsFrom } from './intake-fields.js';

/** The API's own request shape: `{ resourceIds | resourceId, assessmentKey | policyAssignmentId, … }`. */
export function parseDirectRequest(body: unknown, limits: IntakeLimits, now: Date): ParseResult {
  const f = intakeFields(limits, now);
  const z = zod();
  const schema = z.strictObject({
    resourceIds: z.array(f.resourceId).min(1, 'must name at least one resource')
      .max(limits.maxResourcesPerRequest, `must name at most ${limits.maxResourcesPerRequest} resources`).optional(),
    resourceId: f.resourceId.optional(),
    assessmentKey: f.assessmentKey.optional(),
    policyAssignmentId: f.policyAssignmentId.optional(),
    policyDefinitionReferenceIds: f.policyDefinitionReferenceIds,
    category: f.category,
    justification: f.justification,
    expiresOn: f.expiresOn,
    requestedBy: f.requestedBy,
    ticketRef: f.ticketRef,
  }).superRefine((value, ctx) => {
    if ((value.resourceIds === undefined) === (value.resourceId === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['resourceIds'], message: 'give exactly one of resourceIds or resourceId' });
    }
    if ((value.assessmentKey === undefined) === (value.policyAssignmentId === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['assessmentKey'], message: 'give exactly one of assessmentKey or policyAssignmentId' });
    }
    if (value.assessmentKey !== undefined && value.policyDefinitionReferenceIds.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['policyDefinitionReferenceIds'], message: 'goes with policyAssignmentId, not assessmentKey' });
    }
  });
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { ok: false, problems: problemsFrom(parsed.error) };
  const v = parsed.data;
  // The schema has already made every id canonical, so equal scopes differ at most in letter case.
  const resourceIds = dedupe(v.resourceIds ?? [v.resourceId!]);
  const subscriptions = new Set(resourceIds.map((id) => id.split('/')[2]!));
  if (subscriptions.size > 1) {
    return { ok: false, problems: [{ field: 'resourceIds', message: 'all resources of one request must be in the same subscription' }] };
  }
  const outside = v.policyAssignmentId === undefined ? undefined : resourceOutsideAssignment(v.policyAssignmentId, resourceIds);
  if (outside !== undefined) {
    return { ok: false, problems: [{ field: 'policyAssignmentId', message: `is not assigned at or above ${outside}` }] };
  }
  return {
    ok: true,
    command: {
      source: 'api',
      resourceIds,
      selector: v.assessmentKey !== undefined
        ? { kind: 'assessment', assessmentKey: v.assessmentKey }
        : { kind: 'assignment', policyAssignmentId: v.policyAssignmentId!, policyDefinitionReferenceIds: v.policyDefinitionReferenceIds },
      category: v.category,
      justification: v.justification,
      expiresOn: v.expiresOn,
      requestedBy: v.requestedBy,
      requesterAssurance: 'asserted',
      maxScopeLevel: limits.maxScopeLevel,
      ...(v.ticketRef === undefined ? {} : { ticketRef: v.ticketRef }),
    },
  };
}

/** The first resource the assignment's scope cannot contain; management groups are left for ARM to settle. */
function resourceOutsideAssignment(policyAssignmentId: string, resourceIds: readonly string[]): string | undefined {
  const assignment = parsePolicyAssignmentId(policyAssignmentId)!;
  return resourceIds.find((id) => assignmentCovers(assignment, parseResourceId(id)!) === 'no');
}

function dedupe(ids: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const id of ids) if (!seen.has(id.toLowerCase())) seen.set(id.toLowerCase(), id);
  return [...seen.values()];
}
