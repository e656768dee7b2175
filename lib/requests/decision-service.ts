import { DAY_MS } from '../core/time.js';
import { rejectedEmail } from '../notify/email-content.js';
import { sendCourtesyMail } from '../notify/courtesy-mail.js';
import { ConcurrencyError, TokenAlreadyUsedError } from '../store/request-store.js';
import type { ReviewClaims } from '../web/review-token.js';
import { transition } from './lifecycle.js';
import { reviewDigest } from './write-guard.js';
import type { ExemptionCategory, ExemptionRequest } from './model.js';
import type { RequestPorts } from './ports.js';

/** A decision that must not be stored; `status` is the HTTP status that says why. */
export class DecisionRefusedError extends Error {
  constructor(readonly status: 400 | 403 | 404 | 409 | 410, message: string, readonly field?: string) {
    super(message);
    this.name = 'DecisionRefusedError';
  }
}

export interface DecisionInput {
  readonly claims: ReviewClaims;
  readonly outcome: 'approve' | 'reject';
  readonly category?: ExemptionCategory;
  /** A calendar date (YYYY-MM-DD) or an ISO date-time; absent keeps the requested expiry. */
  readonly expiresOn?: string;
  readonly comment?: string;
  /** The identity App Service authentication vouches for, when it fronts the app. */
  readonly signedInAs?: string;
}


/** Who may decide: a notified contact or a configured approver, never the requester, once per link. */
export function checkApprover(request: ExemptionRequest, claims: ReviewClaims, fallbackApprovers: readonly string[], signedInAs?: string): void {
  const approver = claims.approver.toLowerCase();
  if (signedInAs !== undefined && signedInAs.toLowerCase() !== approver) {
    throw new DecisionRefusedError(403, `you are signed in as ${signedInAs}, but this link was issued to ${approver}`);
  }
  if (approver === request.requestedBy.toLowerCase()) {
    throw new DecisionRefusedError(403, 'nobody may decide on their own request');
  }
  const allowed = new Set([...request.approvers, ...fallbackApprovers].map((a) => a.toLowerCase()));
  if (!allowed.has(approver)) {
    throw new DecisionRefusedError(403, `${approver} is not an approver of this request`);
  }
}

export async function decide(
  ports: Pick<RequestPorts, 'clock' | 'store' | 'mailer' | 'applyQueue' | 'warn'>,
  settings: { fallbackApprovers: readonly string[]; maxExpiryDays: number },
  input: DecisionInput,
): Promise<ExemptionRequest> {
  const stored = await ports.store.get(input.claims.requestId);
  if (!stored) throw new DecisionRefusedError(404, 'this request no longer exists');
  const request = stored.value;
  checkApprover(request, input.claims, settings.fallbackApprovers, input.signedInAs);
  if (await ports.store.isTokenConsumed(request.id, input.claims.tokenId)) {
    throw new DecisionRefusedError(410, 'this review link has already been used');
  }
  if (request.state !== 'received' && request.state !== 'notified') {
    throw new DecisionRefusedError(409, `this request is already ${request.state}`);
  }
  const now = ports.clock.now();
  const comment = input.comment?.trim().slice(0, 512) || undefined;
  const approved = input.outcome === 'approve';
  const expiresOn = approved ? decidedExpiry(request.expiresOn, input.expiresOn, now, settings.maxExpiryDays) : request.expiresOn;
  const next = transition(request, {
    to: approved ? 'approved' : 'rejected',
    actor: input.claims.approver,
    channel: 'review-page',
    at: now,
    ...(comment === undefined ? {} : { detail: comment }),
    changes: {
      decision: { outcome: approved ? 'approved' : 'rejected', by: input.claims.approver, at: now.toISOString(), channel: 'review-page', ...(comment === undefined ? {} : { comment }), reviewed: reviewDigest(request.targets) },
      ...(approved ? { expiresOn, category: input.category ?? request.category } : {}),
    },
  });
  let saved;
  try {
    saved = await ports.store.update(next.request, stored.etag, [next.audit], { consumeToken: input.claims.tokenId });
  } catch (error) {
    if (error instanceof ConcurrencyError) throw new DecisionRefusedError(409, 'someone else decided on this request first');
    if (error instanceof TokenAlreadyUsedError) throw new DecisionRefusedError(410, 'this review link has already been used');
    throw error;
  }
  if (approved) {
    await ports.applyQueue.send({ kind: 'apply', requestId: request.id });
  } else {
    await sendCourtesyMail(ports, [request.requestedBy], rejectedEmail(saved.value));
  }
  return saved.value;
}

function decidedExpiry(requested: string, chosen: string | undefined, now: Date, maxDays: number): string {
  if (!chosen || requested.startsWith(chosen)) return requested;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(chosen) ? new Date(`${chosen}T23:59:59.000Z`) : new Date(chosen);
  if (Number.isNaN(date.getTime())) throw new DecisionRefusedError(400, 'expiresOn must be a date', 'expiresOn');
  if (date.getTime() <= now.getTime()) throw new DecisionRefusedError(400, 'expiresOn must be in the future', 'expiresOn');
  if (date.getTime() > now.getTime() + maxDays * DAY_MS) {
    throw new DecisionRefusedError(400, `expiresOn must be at most ${maxDays} days ahead`, 'expiresOn');
  }
  return date.toISOString();
}
