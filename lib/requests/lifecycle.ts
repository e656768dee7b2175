import { DAY_MS } from '../core/time.js';
import type { AuditEntry, Channel, ExemptionRequest, RequestState } from './model.js';

const TRANSITIONS: Readonly<Record<RequestState, readonly RequestState[]>> = {
  received: ['notified', 'approved', 'rejected', 'cancelled', 'timedOut'],
  notified: ['approved', 'rejected', 'cancelled', 'timedOut'],
  approved: ['applying'],
  rejected: [],
  cancelled: [],
  timedOut: [],
  applying: ['applied', 'failed'],
  failed: ['applying'],
  // `renewed`: an applied renewal extended this request's exemptions in place and supersedes it. Shortly
  // after expiry is still fine: an expired exemption is not deleted, so the renewal finds it there.
  applied: ['expiring', 'expired', 'revoked', 'renewed'],
  expiring: ['expired', 'revoked', 'renewed'],
  expired: ['removed', 'renewed'],
  removed: [],
  revoked: [],
  renewed: [],
};

export class IllegalTransitionError extends Error {
  constructor(readonly requestId: string, readonly from: RequestState, readonly to: RequestState) {
    super(`request ${requestId} cannot go from ${from} to ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

/** The states in which an approver may still approve or reject; every channel asks here. */
export function isDecidable(state: RequestState): boolean {
  return canTransition(state, 'approved') && canTransition(state, 'rejected');
}

/** The latest expiry a request may ask for, or an approver may choose, at `now`. */
export function latestExpiry(now: Date, maxExpiryDays: number): Date {
  return new Date(now.getTime() + maxExpiryDays * DAY_MS);
}

export type ExpiryCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** The one rule for an exemption's expiry: in the future and within the configured window. */
export function checkExpiry(expiresOn: Date, now: Date, maxExpiryDays: number): ExpiryCheck {
  if (Number.isNaN(expiresOn.getTime())) return { ok: false, reason: 'must be a date' };
  if (expiresOn.getTime() <= now.getTime()) return { ok: false, reason: 'must be in the future' };
  if (expiresOn.getTime() > latestExpiry(now, maxExpiryDays).getTime()) return { ok: false, reason: `must be at most ${maxExpiryDays} days ahead` };
  return { ok: true };
}

export function canTransition(from: RequestState, to: RequestState): boolean {
  return TRANSITIONS[from].includes(to);
}

export interface TransitionInput {
  readonly to: RequestState;
  readonly actor: string;
  readonly channel: Channel;
  readonly at: Date;
  readonly action?: string;
  readonly detail?: string;
  readonly changes?: Partial<Omit<ExemptionRequest, 'id' | 'state' | 'createdAt' | 'updatedAt'>>;
}

/** Applies a guarded state change and returns the new request with the audit entry that records it. */
export function transition(
  request: ExemptionRequest,
  input: TransitionInput,
): { request: ExemptionRequest; audit: AuditEntry } {
  if (!canTransition(request.state, input.to)) {
    throw new IllegalTransitionError(request.id, request.state, input.to);
  }
  const at = input.at.toISOString();
  const next: ExemptionRequest = { ...request, ...input.changes, state: input.to, updatedAt: at };
  const audit: AuditEntry = {
    requestId: request.id,
    at,
    actor: input.actor,
    channel: input.channel,
    action: input.action ?? input.to,
    from: request.state,
    to: input.to,
    ...(input.detail === undefined ? {} : { detail: input.detail }),
  };
  return { request: next, audit };
}

/** An audit entry that changes data but not the state (approvers found, a note from a worker). */
export function annotate(
  request: ExemptionRequest,
  input: Omit<TransitionInput, 'to'> & { action: string },
): { request: ExemptionRequest; audit: AuditEntry } {
  const at = input.at.toISOString();
  const next: ExemptionRequest = { ...request, ...input.changes, updatedAt: at };
  return {
    request: next,
    audit: {
      requestId: request.id, at, actor: input.actor, channel: input.channel, action: input.action,
      ...(input.detail === undefined ? {} : { detail: input.detail }),
    },
  };
}
