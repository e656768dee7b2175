import { canonicalIdentity, sameIdentity } from './identity.js';
import { checkExpiry, isDecidable, transition } from './lifecycle.js';
import type { DecisionChannel, ExemptionCategory, ExemptionRequest, RequestState } from './model.js';
import { tell, type RequestPorts } from './ports.js';
import { ConcurrencyError, TokenAlreadyUsedError, type Versioned } from './ports/store.js';
import { REQUEST_LIMITS } from './request-size.js';
import { reviewDigest } from './write-guard.js';

/**
 * One decision, whatever channel it came through. The channel has already authenticated the person
 * (a signed link, a signed-in user, a card click) and names them in `approver`; `credentialId` is the
 * single-use value that carried the decision (a review link's id, a card action's id).
 */
export interface DecideInput {
  readonly requestId: string;
  readonly approver: string;
  readonly channel: DecisionChannel;
  readonly credentialId: string;
  readonly outcome: 'approve' | 'reject';
  readonly category?: ExemptionCategory;
  /** A calendar date (YYYY-MM-DD) or an ISO date-time; absent keeps the requested expiry. */
  readonly expiresOn?: string;
  readonly comment?: string;
  /**
   * The reviewDigest of the targets the person was shown. When given, a request whose targets changed
   * since (a tampered row) is refused: what is approved is exactly what was seen.
   */
  readonly reviewed?: string;
}

/** Why a decision was not stored; each channel turns this into its own answer. */
export type Refusal =
  | { readonly code: 'not-found' }
  | { readonly code: 'own-request' }
  | { readonly code: 'not-an-approver'; readonly approver: string }
  | { readonly code: 'credential-used' }
  | { readonly code: 'not-decidable'; readonly state: RequestState }
  | { readonly code: 'changed-since-review' }
  | { readonly code: 'invalid'; readonly field: 'expiresOn'; readonly message: string };

export type DecideResult =
  | {
    readonly kind: 'decided';
    readonly request: ExemptionRequest;
    /** False when the apply message could not be queued: the stuck-request timer will queue it. */
    readonly applyQueued: boolean;
  }
  | { readonly kind: 'refused'; readonly reason: Refusal };

export interface DecideSettings {
  readonly fallbackApprovers: readonly string[];
  readonly maxExpiryDays: number;
}

/** Concurrent writers are few (the notify worker, one other decider); this bounds a pathological loop. */
const MAX_ATTEMPTS = 5;

/**
 * Who may decide: a notified contact or a configured approver, never the requester, compared as
 * identities rather than strings. The review page asks this before it shows the form.
 */
export function standing(request: ExemptionRequest, approver: string, fallbackApprovers: readonly string[]): Refusal | undefined {
  if (sameIdentity(approver, request.requestedBy)) return { code: 'own-request' };
  const allowed = new Set([...request.approvers, ...fallbackApprovers].map(canonicalIdentity));
  if (!allowed.has(canonicalIdentity(approver))) return { code: 'not-an-approver', approver };
  return undefined;
}

export async function decide(
  ports: Pick<RequestPorts, 'clock' | 'store' | 'notifier' | 'applyQueue' | 'warn'>,
  settings: DecideSettings,
  input: DecideInput,
): Promise<DecideResult> {
  let stored = await ports.store.get(input.requestId);
  for (let attempt = 1; ; attempt++) {
    const refusal = await refusalFor(ports, settings, input, stored);
    if (refusal) return { kind: 'refused', reason: refusal };
    const current = stored!;
    const next = decisionOf(current.value, input, ports.clock.now(), settings.maxExpiryDays);
    if ('code' in next) return { kind: 'refused', reason: next };
    try {
      const saved = await ports.store.update(next.request, current.etag, [next.audit], { consumeToken: input.credentialId });
      return { kind: 'decided', request: saved.value, applyQueued: await afterDecision(ports, saved.value) };
    } catch (error) {
      if (error instanceof TokenAlreadyUsedError) return { kind: 'refused', reason: { code: 'credential-used' } };
      // Someone wrote first: often the notify worker recording its mails, which changes nothing that
      // matters here. Read again; if the request can still be decided, this decision still stands.
      if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
      stored = await ports.store.get(input.requestId);
    }
  }
}

async function refusalFor(
  ports: Pick<RequestPorts, 'store'>,
  settings: DecideSettings,
  input: DecideInput,
  stored: Versioned<ExemptionRequest> | undefined,
): Promise<Refusal | undefined> {
  if (!stored) return { code: 'not-found' };
  const request = stored.value;
  const who = standing(request, input.approver, settings.fallbackApprovers);
  if (who) return who;
  if (await ports.store.isTokenConsumed(request.id, input.credentialId)) return { code: 'credential-used' };
  if (!isDecidable(request.state)) return { code: 'not-decidable', state: request.state };
  if (input.reviewed !== undefined && input.reviewed !== reviewDigest(request.targets)) return { code: 'changed-since-review' };
  return undefined;
}

function decisionOf(request: ExemptionRequest, input: DecideInput, now: Date, maxExpiryDays: number) {
  const comment = input.comment?.trim().slice(0, REQUEST_LIMITS.commentLength) || undefined;
  const approved = input.outcome === 'approve';
  let expiresOn = request.expiresOn;
  if (approved && input.expiresOn && !request.expiresOn.startsWith(input.expiresOn)) {
    const chosen = /^\d{4}-\d{2}-\d{2}$/.test(input.expiresOn) ? new Date(`${input.expiresOn}T23:59:59.000Z`) : new Date(input.expiresOn);
    const check = checkExpiry(chosen, now, maxExpiryDays);
    if (!check.ok) return { code: 'invalid', field: 'expiresOn', message: `expiresOn ${check.reason}` } as const;
    expiresOn = chosen.toISOString();
  }
  const by = input.approver.trim().toLowerCase();
  return transition(request, {
    to: approved ? 'approved' : 'rejected',
    actor: by,
    channel: input.channel,
    at: now,
    ...(comment === undefined ? {} : { detail: comment }),
    changes: {
      decision: { outcome: approved ? 'approved' : 'rejected', by, at: now.toISOString(), channel: input.channel, ...(comment === undefined ? {} : { comment }), reviewed: reviewDigest(request.targets) },
      ...(approved ? { expiresOn, category: input.category ?? request.category } : {}),
    },
  });
}

/**
 * The decision is stored; what follows must not undo it. A lost apply message leaves the request
 * `approved`, which the stuck-request timer finds and queues again.
 */
async function afterDecision(ports: Pick<RequestPorts, 'notifier' | 'applyQueue' | 'warn'>, request: ExemptionRequest): Promise<boolean> {
  let applyQueued = true;
  if (request.state === 'approved') {
    try {
      await ports.applyQueue.send({ kind: 'apply', requestId: request.id });
    } catch (error) {
      applyQueued = false;
      ports.warn?.(`request ${request.id} is approved but its apply message could not be queued: ${String((error as Error)?.message ?? error)}`);
    }
  }
  await tell(ports, `request ${request.id} ${request.state}`, () => ports.notifier.decided(request));
  return applyQueued;
}
