import type { Refusal } from '../requests/decision-service.js';

/** Why a ticket transition decided nothing, in words for the ticket's audience. */
export function refusalText(reason: Refusal): string {
  switch (reason.code) {
    case 'not-found': return 'the linked exemption request no longer exists';
    case 'own-request': return 'the requester cannot decide their own request';
    case 'not-an-approver': return `${reason.approver} is not an approver of this request (a notified security contact or a configured approver)`;
    case 'credential-used': return 'this transition was already acted on';
    case 'not-decidable': return `the request is ${reason.state} and can no longer be decided`;
    case 'changed-since-review': return 'the request changed since it was reviewed';
    case 'invalid': return `${reason.field}: ${reason.message}`;
  }
}
