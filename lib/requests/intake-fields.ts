import { z } from 'zod';
import { DAY_MS } from '../core/time.js';
import { parseResourceId } from '../azure/resource-id.js';
import { checkExpiry } from './lifecycle.js';
import { EXEMPTION_CATEGORIES } from './model.js';
import type { FieldProblem, IntakeLimits } from './intake-command.js';


/** Field schemas shared by every intake shape, built from the configured limits and the current time. */
export function intakeFields(limits: IntakeLimits, now: Date) {
  return {
    resourceId: z.string().trim().max(1024).refine((id) => parseResourceId(id) !== undefined, 'must be an Azure resource id such as /subscriptions/{id}/resourceGroups/{rg}/providers/{type}/{name}'),
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
    assessmentKey: z.string().trim().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'must be an assessment key (the recommendation\'s GUID)'),
    policyAssignmentId: z.string().trim().max(1024).transform((id) => id.replace(/\/+$/, '')).pipe(z.string().regex(/\/providers\/Microsoft\.Authorization\/policyAssignments\/[^/]+$/i, 'must be a policy assignment id')),
    policyDefinitionReferenceIds: z.array(z.string().trim().min(1).max(128)).max(100).default([]),
  };
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
