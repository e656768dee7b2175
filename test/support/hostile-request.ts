import type { ExemptionRequest } from '../../lib/requests/model.js';
import { sampleRequest } from './sample-request.js';

/** Markup an attacker could put in any free-text field of a request. */
export const SCRIPT_TAG = '<script>window.__pwned=1</script>';
export const IMG_BREAKOUT = '"><img src=x onerror="window.__pwned=1">';

const SUB = '00000000-0000-0000-0000-00000000aaaa';

/** A request whose every user-supplied text field carries markup; overrides win. */
export function hostileRequest(overrides: Partial<ExemptionRequest> = {}): ExemptionRequest {
  return sampleRequest({
    id: 'req-hostile-1',
    state: 'notified',
    recommendation: {
      assessmentKey: 'k1',
      displayName: `Storage accounts ${SCRIPT_TAG}\r\nBcc: victim@example.com`,
      severity: `High${IMG_BREAKOUT}`,
      portalLink: 'javascript:window.__pwned=1',
    },
    targets: [
      {
        resourceId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1${IMG_BREAKOUT}`,
        assignments: [{ policyAssignmentId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/a${SCRIPT_TAG}`, policyDefinitionReferenceIds: [IMG_BREAKOUT] }],
      },
    ],
    justification: `Behind a private endpoint.\n${SCRIPT_TAG}\n${IMG_BREAKOUT}`,
    requestedBy: `mallory${IMG_BREAKOUT}@example.com`,
    ticketRef: `INC-1${SCRIPT_TAG}`,
    decision: { outcome: 'rejected', by: `eve${SCRIPT_TAG}@example.com`, at: '2026-11-02T10:00:00.000Z', channel: 'review-page', comment: `no ${IMG_BREAKOUT}` },
    lastError: { status: 500, code: `Code${SCRIPT_TAG}`, message: `boom ${IMG_BREAKOUT}` },
    exemptions: [{ id: `/x/policyExemptions/e${SCRIPT_TAG}`, resourceId: '/x', policyAssignmentId: '/a' }],
    ...overrides,
  });
}

/** Markup that must never appear unescaped in anything rendered from hostileRequest(). */
export const LIVE_MARKUP = ['<script', '<img', 'onerror="window'] as const;
