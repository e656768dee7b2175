import { describe, expect, it } from 'vitest';
import { clip } from '../../../lib/azure/policy-exemption.js';
import { parseResourceId } from '../../../lib/azure/resource-id.js';
import { parseDirectRequest } from '../../../lib/requests/direct-request.js';
import { issueReviewToken, verifyReviewToken } from '../../../lib/web/review-token.js';

/** Edge cases found by review; each case failed before its fix. */
describe('hardening', () => {
  it('clip never leaves half of a surrogate pair (ARM would get malformed text)', () => {
    const clipped = clip(`${'x'.repeat(510)}😀 and more`, 512);
    expect(clipped.length).toBeLessThanOrEqual(512);
    expect(clipped.isWellFormed()).toBe(true);
    expect(clipped.endsWith('…')).toBe(true);
  });

  it('a review token verifies only with the exact MAC text, not another spelling of the same bytes', () => {
    const secret = 's'.repeat(40);
    const now = new Date('2026-11-21T00:00:00Z');
    const token = issueReviewToken(secret, { requestId: 'r1', approver: 'a@contoso.com', expiresAt: new Date(now.getTime() + 60_000) });
    expect(verifyReviewToken(secret, token, now).ok).toBe(true);
    // 32 bytes in base64url leave 2 spare bits in the last character: flip them.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.at(-1)!);
    const respelled = `${token.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(respelled.split('.')[2]!, 'base64url')).toEqual(Buffer.from(token.split('.')[2]!, 'base64url'));
    expect(verifyReviewToken(secret, respelled, now)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('a subscription id must be a GUID', () => {
    expect(parseResourceId(`/subscriptions/${'-'.repeat(36)}`)).toBeUndefined();
    expect(parseResourceId('/subscriptions/0000000000000000000000000000000000aa')).toBeUndefined();
  });

  it('extension resources are not exemption targets', () => {
    const sub = '3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
    expect(parseResourceId(`/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1/providers/Microsoft.Security/assessments/k`)).toBeUndefined();
  });

  it('a policy assignment id with one trailing slash is accepted in canonical form', () => {
    const sub = '3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
    const assignment = `/subscriptions/${sub}/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn`;
    const result = parseDirectRequest({
      resourceId: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1`,
      policyAssignmentId: `${assignment}/`, justification: 'ok', requestedBy: 'owner@contoso.com',
    }, { maxResourcesPerRequest: 3, maxExpiryDays: 365, defaultExpiryDays: 90, maxJustificationLength: 512, defaultCategory: 'Waiver', maxScopeLevel: 'resourceGroup' }, new Date());
    expect(result.ok && result.command.selector).toEqual({ kind: 'assignment', policyAssignmentId: assignment, policyDefinitionReferenceIds: [] });
  });
});
