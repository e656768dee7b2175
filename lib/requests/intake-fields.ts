import type { z } from 'zod';
import { zod } from '../core/lazy-zod.js';
import { DAY_MS } from '../core/time.js';
import { formatPolicyAssignmentId, readPolicyAssignmentId } from '../azure/policy-assignment-id.js';
import { formatResourceId, readResourceId, type ParseOutcome } from '../azure/resource-id.js';
import { checkExpiry } from './lifecycle.js';
import { REQUEST_LIMITS } from './request-size.js';
import { EXEMPTION_CATEGORIES } from './model.js';
import type { FieldProblem, IntakeLimits } from './intake-command.js';


/** Field schemas shared by every intake shape, built from the configured limits and the current time. */
export function intakeFields(limits: IntakeLimits, now: Date) {
  const z = zod();
  return {
    resourceId: armId(readResourceId, formatResourceId, '/subscriptions/{id}[/resourceGroups/{rg}[/providers/{namespace}/{type}/{name}]]'),
    category: z.enum(EXEMPTION_CATEGORIES).default(limits.defaultCategory),
    justification: z.string().trim().min(1, 'is required').max(limits.maxJustificationLength, `must be at most ${limits.maxJustificationLength} characters`),
    expiresOn: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
      .transform((value) => new Date(value))
      .superRefine((date, ctx) => {
        const expiry = checkExpiry(date, now, limits.maxExpiryDays);
        if (!expiry.ok) ctx.addIssue({ code: 'custom', message: expiry.reason });
      })
      .transform((date) => date.toISOString())
      .default(new Date(now.getTime() + limits.defaultExpiryDays * DAY_MS).toISOString()),
    requestedBy: z.string().trim().toLowerCase().pipe(z.email('must be the requester\'s email address')),
    ticketRef: z.string().trim().min(1).max(128).optional(),
    // Inner dots only: the key becomes a URL segment, where "." or ".." would move the request elsewhere.
    assessmentKey: z.string().trim().regex(/^(?=.{1,128}$)[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/, 'must be an assessment key (the recommendation\'s GUID)'),
    policyAssignmentId: armId(readPolicyAssignmentId, formatPolicyAssignmentId, '{scope}/providers/Microsoft.Authorization/policyAssignments/{name}'),
    policyDefinitionReferenceIds: z.array(z.string().trim().min(1).max(REQUEST_LIMITS.referenceIdLength))
      .max(REQUEST_LIMITS.referenceIdsPerAssignment, `must name at most ${REQUEST_LIMITS.referenceIdsPerAssignment} reference ids`).default([]),
  };
}

/**
 * An id field: parsed once by the strict grammar and carried on in canonical form. Nothing is trimmed or
 * decoded first, so what is checked is exactly what was sent.
 */
function armId<T>(read: (raw: string) => ParseOutcome<T>, format: (parsed: T) => string, shape: string) {
  const z = zod();
  return z.string().transform((raw, ctx) => {
    const parsed = read(raw);
    if (parsed.ok) return format(parsed.value);
    ctx.issues.push({ code: 'custom', input: raw, message: `${parsed.reason}; expected ${shape}` });
    return z.NEVER;
  });
}

export function problemsFrom(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    // An unknown field is named itself, so a typo ("justifcation") is easy to spot.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: 'is not a known field' }));
    }
    return [{ field: at.length > 0 ? at.join('.') : 'body', message: issue.message }];
  });
}
