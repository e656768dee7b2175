import { issueReviewToken } from '../../lib/web/review-token.js';
import type { SimMail } from '../sim/index.js';
import type { AppUnderTest } from './app-under-test.js';

/** Posts a direct request and waits until its approvers have been emailed. */
export async function notifiedRequest(
  app: AppUnderTest,
  input: { resourceId: string; requestedBy?: string } & ({ assessmentKey: string } | { policyAssignmentId: string; policyDefinitionReferenceIds: string[] }),
): Promise<{ id: string; mails: SimMail[]; request: any }> {
  const { requestedBy: _, ...target } = input;
  const response = await app.post('/api/exemption-requests', {
    ...target,
    justification: 'Compensating control in place <b>see runbook</b>',
    requestedBy: input.requestedBy ?? 'dev.owner@contoso.com',
    expiresOn: new Date(Date.now() + 60 * 86_400_000).toISOString(),
  });
  if (response.status !== 202) throw new Error(`intake answered ${response.status}: ${JSON.stringify(response.json)}`);
  const id: string = response.json.id;
  const request = await app.waitForState(id, ['notified']);
  const mails = app.sim.smtp.messages().filter((m) => m.text.includes(id));
  return { id, mails, request };
}

/** A link signed with the app's real key, for cases no email would ever carry. */
export function forgedLink(app: AppUnderTest, requestId: string, approver: string, expiresAt = new Date(Date.now() + 3_600_000)): string {
  const token = issueReviewToken(app.env.REVIEW_SIGNING_KEY!, { requestId, approver, expiresAt });
  return `${app.baseUrl}/api/review?token=${encodeURIComponent(token)}`;
}
