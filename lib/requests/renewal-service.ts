import { createHash } from 'node:crypto';
import { DAY_MS } from '../core/time.js';
import { sameIdentity } from './identity.js';
import { annotate, checkExpiry, latestExpiry, transition } from './lifecycle.js';
import { OPEN_STATES, type ExemptionRequest, type RequestState } from './model.js';
import type { RequestPorts } from './ports.js';
import { ConcurrencyError, TokenAlreadyUsedError, type RequestStore } from './ports/store.js';
import { newRequestId } from './request-id.js';
import { checkRequestSize } from './request-size.js';
import { renotifyIfLost } from './renotify.js';

/**
 * A renewal is a new request linked to the old one. It goes through the same approval rules and audit,
 * and on approval it extends the existing exemptions in place (apply-service.ts reuses their names).
 * It is asked for through a signed, personal, single-use link that a sweep notice mails to the old
 * request's requester and approver; whoever follows it becomes the renewal's (asserted) requester.
 */

/** Requests whose exemptions may be renewed: they exist (an expired exemption is not deleted). */
export const RENEWABLE_STATES: ReadonlySet<RequestState> = new Set(['applied', 'expiring', 'expired']);

/** The audit action on the old request that names its renewal in `detail`. */
export const RENEWAL_REQUESTED = 'renewal-requested';

export interface RenewalInput {
  /** The request to renew. */
  readonly requestId: string;
  /** The renewal link's recipient. */
  readonly requestedBy: string;
  /** A calendar date (YYYY-MM-DD, the end of that day in UTC) or an ISO 8601 date-time with offset. */
  readonly expiresOn: string;
  readonly justification: string;
  /** The renewal link's id: consumed on the old request when the renewal is stored. */
  readonly credentialId: string;
}

export interface RenewalSettings {
  readonly maxExpiryDays: number;
  readonly maxJustificationLength: number;
}

export type RenewalRefusal =
  | { readonly code: 'not-found' }
  | { readonly code: 'not-a-party'; readonly recipient: string }
  | { readonly code: 'not-renewable'; readonly state: RequestState }
  | { readonly code: 'no-exemptions' }
  | { readonly code: 'credential-used' }
  | { readonly code: 'invalid'; readonly field: 'expiresOn' | 'justification'; readonly message: string };

/** What a renewal link's holder may do now; the page asks this before it shows the form. */
export type RenewalAccess =
  | { readonly kind: 'renewable'; readonly request: ExemptionRequest }
  /** A renewal of this request is already open: asking again gives that one. */
  | { readonly kind: 'pending'; readonly request: ExemptionRequest; readonly renewal: ExemptionRequest }
  | { readonly kind: 'refused'; readonly reason: RenewalRefusal };

export type RenewalOutcome =
  | { readonly kind: 'created'; readonly request: ExemptionRequest; readonly renews: ExemptionRequest }
  | { readonly kind: 'existing'; readonly request: ExemptionRequest; readonly renews: ExemptionRequest }
  | { readonly kind: 'refused'; readonly reason: RenewalRefusal };

const MAX_ATTEMPTS = 5;

/** Renewals of one request share this key, so only one of them is open at a time. */
export function renewalDedupeKey(requestId: string): string {
  return createHash('sha256').update(`renewal\n${requestId}`).digest('hex');
}

/** The request id whose exemption names a renewal of `request` reuses: the first of the chain. */
export function nameSeedOf(request: Pick<ExemptionRequest, 'id' | 'renewalOf'>): string {
  return request.renewalOf?.nameSeed ?? request.id;
}

/** The last calendar date a renewal may end on (the end of that day must be within the window). */
export function latestRenewalDate(now: Date, maxExpiryDays: number): string {
  const latest = latestExpiry(now, maxExpiryDays);
  const date = latest.toISOString().slice(0, 10);
  return Date.parse(`${date}T23:59:59.000Z`) <= latest.getTime() ? date : new Date(latest.getTime() - DAY_MS).toISOString().slice(0, 10);
}

/**
 * The expiry the form suggests: as long from now as the old exemption was approved for (approval to
 * expiry), no later than the window allows.
 */
export function suggestedRenewalDate(request: ExemptionRequest, now: Date, settings: { maxExpiryDays: number; defaultExpiryDays: number }): string {
  const approvedAt = Date.parse(request.decision?.at ?? request.createdAt);
  const duration = Date.parse(request.expiresOn) - approvedAt;
  const span = Number.isFinite(duration) && duration >= DAY_MS ? duration : settings.defaultExpiryDays * DAY_MS;
  const suggested = new Date(now.getTime() + span).toISOString().slice(0, 10);
  const latest = latestRenewalDate(now, settings.maxExpiryDays);
  return suggested < latest ? suggested : latest;
}

/** The renewal's expiry and justification, checked like intake's; a refusal names the field. */
export function checkRenewalFields(
  input: Pick<RenewalInput, 'expiresOn' | 'justification'>,
  now: Date,
  settings: RenewalSettings,
): { ok: true; expiresOn: string; justification: string } | { ok: false; reason: Extract<RenewalRefusal, { code: 'invalid' }> } {
  const justification = input.justification.trim();
  if (justification.length === 0) return { ok: false, reason: { code: 'invalid', field: 'justification', message: 'justification is required' } };
  if (justification.length > settings.maxJustificationLength) {
    return { ok: false, reason: { code: 'invalid', field: 'justification', message: `justification must be at most ${settings.maxJustificationLength} characters` } };
  }
  const raw = input.expiresOn.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const chosen = dateOnly ? new Date(`${raw}T23:59:59.000Z`)
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) ? new Date(raw) : new Date(NaN);
  // "2026-02-31" would roll over into March: a date that does not exist is not a choice.
  if (dateOnly && !Number.isNaN(chosen.getTime()) && !chosen.toISOString().startsWith(raw)) chosen.setTime(NaN);
  const check = checkExpiry(chosen, now, settings.maxExpiryDays);
  if (!check.ok) return { ok: false, reason: { code: 'invalid', field: 'expiresOn', message: `expiresOn ${check.reason}` } };
  return { ok: true, expiresOn: chosen.toISOString(), justification };
}

/**
 * Whether the holder of a renewal link may ask for a renewal: the request exists, its exemptions
 * exist, the holder is its requester or approver, and the link is unused. A renewal that is already
 * open is answered with that renewal, whoever's link asks.
 */
export async function renewalAccess(
  store: Pick<RequestStore, 'get' | 'isTokenConsumed' | 'auditTrail'>,
  input: Pick<RenewalInput, 'requestId' | 'requestedBy' | 'credentialId'>,
): Promise<RenewalAccess> {
  const stored = await store.get(input.requestId);
  if (!stored) return { kind: 'refused', reason: { code: 'not-found' } };
  const request = stored.value;
  if (!sameIdentity(input.requestedBy, request.requestedBy) && !sameIdentity(input.requestedBy, request.decision?.by)) {
    return { kind: 'refused', reason: { code: 'not-a-party', recipient: input.requestedBy } };
  }
  const renewal = await openRenewalOf(store, request.id);
  if (renewal) return { kind: 'pending', request, renewal };
  if (await store.isTokenConsumed(request.id, input.credentialId)) return { kind: 'refused', reason: { code: 'credential-used' } };
  if (!RENEWABLE_STATES.has(request.state)) return { kind: 'refused', reason: { code: 'not-renewable', state: request.state } };
  if (request.exemptions.length === 0) return { kind: 'refused', reason: { code: 'no-exemptions' } };
  return { kind: 'renewable', request };
}

/** The latest renewal the old request's audit names, if it is still open. */
async function openRenewalOf(store: Pick<RequestStore, 'get' | 'auditTrail'>, requestId: string): Promise<ExemptionRequest | undefined> {
  const named = (await store.auditTrail(requestId)).filter((e) => e.action === RENEWAL_REQUESTED).at(-1);
  const id = named?.detail?.match(/^renewal requested: ([0-9a-z]+)$/)?.[1];
  if (!id) return undefined;
  const renewal = (await store.get(id))?.value;
  return renewal && OPEN_STATES.has(renewal.state) && renewal.renewalOf?.requestId === requestId ? renewal : undefined;
}

/**
 * Stores a renewal of `input.requestId` and queues its notification, so the approvers get the usual
 * review email. Everything is checked before anything is stored; a second ask while a renewal is open
 * returns that renewal and stores nothing.
 */
export async function requestRenewal(
  ports: Pick<RequestPorts, 'clock' | 'store' | 'notifyQueue' | 'warn'>,
  settings: RenewalSettings,
  input: RenewalInput,
): Promise<RenewalOutcome> {
  const now = ports.clock.now();
  const fields = checkRenewalFields(input, now, settings);
  if (!fields.ok) return { kind: 'refused', reason: fields.reason };
  const access = await renewalAccess(ports.store, input);
  if (access.kind === 'refused') return access;
  if (access.kind === 'pending') return { kind: 'existing', request: await renotified(ports, access.renewal, now), renews: access.request };
  const old = access.request;
  const requestedBy = input.requestedBy.trim().toLowerCase();
  const at = now.toISOString();
  const renewal: ExemptionRequest = {
    id: newRequestId(now),
    state: 'received',
    createdAt: at,
    updatedAt: at,
    source: 'renewal',
    subscriptionId: old.subscriptionId,
    recommendation: old.recommendation,
    // Already resolved and reviewed once; the new approver reviews them again, and the write guard
    // checks that exactly these are written.
    targets: old.targets,
    category: old.category,
    justification: fields.justification,
    expiresOn: fields.expiresOn,
    requestedBy,
    requesterAssurance: 'asserted',
    ...(old.ticketRef === undefined ? {} : { ticketRef: old.ticketRef }),
    approvers: [],
    exemptions: [],
    dedupeKey: renewalDedupeKey(old.id),
    renewalOf: { requestId: old.id, nameSeed: nameSeedOf(old) },
  };
  checkRequestSize(renewal, ports.store.maxDocumentBytes);
  const exemptions = old.targets.reduce((n, t) => n + t.assignments.length + (t.standards?.length ?? 0), 0);
  const outcome = await ports.store.create(renewal, {
    requestId: renewal.id, at, actor: requestedBy, channel: 'renewal', action: 'created', to: 'received',
    detail: `renewal of request ${old.id}: ${exemptions} exemption(s) to extend in place; requester asserted (came through a signed renewal link mailed to them)`,
  });
  if (!outcome.created) return { kind: 'existing', request: await renotified(ports, outcome.existing, now), renews: old };
  const created = outcome.request.value;
  if (!(await consumeOnOld(ports, old.id, created.id, requestedBy, input.credentialId))) {
    // The link was used in between for a renewal that is no longer open: this one must not stand.
    const withdrawn = transition(created, {
      to: 'cancelled', actor: 'system', channel: 'renewal', at: ports.clock.now(), detail: 'the renewal link had already been used',
    });
    await ports.store.update(withdrawn.request, outcome.request.etag, [withdrawn.audit]);
    return { kind: 'refused', reason: { code: 'credential-used' } };
  }
  await ports.notifyQueue.send({ kind: 'notify', requestId: created.id });
  return { kind: 'created', request: created, renews: old };
}

/**
 * Records on the old request that a renewal was asked for, consuming the link in the same write.
 * False when the link turns out to be used already.
 */
async function consumeOnOld(
  ports: Pick<RequestPorts, 'clock' | 'store' | 'warn'>,
  oldId: string,
  renewalId: string,
  actor: string,
  credentialId: string,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const current = await ports.store.get(oldId);
    if (!current) return true;
    const noted = annotate(current.value, {
      actor, channel: 'renewal', at: ports.clock.now(), action: RENEWAL_REQUESTED, detail: `renewal requested: ${renewalId}`,
    });
    try {
      await ports.store.update(noted.request, current.etag, [noted.audit], { consumeToken: credentialId });
      return true;
    } catch (error) {
      if (error instanceof TokenAlreadyUsedError) return false;
      if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) {
        // The renewal stands (and dedupes further asks); only the note on the old request is missing.
        ports.warn?.(`renewal ${renewalId} is stored but could not be recorded on request ${oldId}: ${String((error as Error)?.message ?? error)}`);
        return true;
      }
    }
  }
}

async function renotified(ports: Pick<RequestPorts, 'notifyQueue'>, renewal: ExemptionRequest, now: Date): Promise<ExemptionRequest> {
  await renotifyIfLost(ports.notifyQueue, renewal, now);
  return renewal;
}
