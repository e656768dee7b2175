import { createHash } from 'node:crypto';
import { subscriptionOf } from '../azure/resource-id.js';
import { canonicalIdentity } from './identity.js';
import type { IntakeCommand } from './intake-command.js';
import type { IntakeOutcome } from './intake-service.js';
import { annotate } from './lifecycle.js';
import { OPEN_STATES, type ExemptionRequest, type ExemptionTarget } from './model.js';
import { newRequest } from './new-request.js';
import type { RequestPorts } from './ports.js';
import type { BurstWindows } from './ports/burst-windows.js';
import { ConcurrencyError, type Versioned } from './ports/store.js';
import { dedupeKeyFor } from './request-id.js';
import { checkRequestSize, RequestTooLargeError } from './request-size.js';
import type { Resolution } from './resolve-targets.js';

/**
 * Selecting many resources in Defender's recommendation blade makes the relay send one event per
 * resource. Events of one burst (same recommendation, subscription, requester and ask) join one request
 * for `windowSeconds` after the first, and approvers hear about it once, when the window closes.
 *
 * Race-free across instances: the window and each resource are keys claimed by insert (BurstWindows),
 * and a target joins with an ETag-guarded write of the request. The request is "sealed" by a write too,
 * when its window is due or it is full; nothing joins a sealed request, and the notify worker seals
 * before it mails, so every approver sees all the request will ever hold.
 */
export interface BurstSettings {
  readonly windowSeconds: number;
}

/**
 * Most resources one burst request holds; the next event starts a new request. One request per blade
 * selection is the point, but an approver still has to read the list, and a stored request has a size
 * limit (checked too).
 */
export const BURST_MAX_RESOURCES = 100;

/** Every contender but one loses a round, so a join may need as many rounds as there are contenders. */
const MAX_JOIN_ROUNDS = BURST_MAX_RESOURCES * 4;
const MAX_WINDOW_ROUNDS = 8;

export type BurstPorts = Pick<RequestPorts, 'clock' | 'store' | 'notifyQueue'> & { readonly windows: BurstWindows };

/** Only single-resource relay events for one resource (not a whole scope) coalesce. */
export function coalesces(command: IntakeCommand, resolution: Resolution, settings: BurstSettings | undefined): boolean {
  return (settings?.windowSeconds ?? 0) > 0
    && command.source === 'defender'
    && command.selector.kind === 'assessment'
    && command.resourceIds.length === 1
    && resolution.targets.length === 1
    && resolution.targets[0]!.coverage === undefined;
}

/**
 * Events of one burst share this key. The requester counts only where the relay named one (compared
 * canonically); justification, category and ticket are part of the ask, so differing asks never merge.
 */
export function burstKeyFor(command: IntakeCommand, subscriptionId: string): string {
  const selector = command.selector.kind === 'assessment' ? command.selector.assessmentKey.toLowerCase() : '';
  const requester = command.requesterAssurance === 'relay' ? '' : canonicalIdentity(command.requestedBy);
  const parts = ['burst', subscriptionId.toLowerCase(), selector, command.requesterAssurance, requester, command.category, command.justification, command.ticketRef ?? ''];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Still taking targets: nothing but a seal or a state change ends that, and both are ETag-guarded writes. */
export function isJoinable(request: ExemptionRequest): boolean {
  return request.state === 'received' && request.burst !== undefined && request.burst.sealedAt === undefined;
}

/** The resource key a target of this burst request holds. */
function resourceKey(request: ExemptionRequest, target: ExemptionTarget): string {
  return dedupeKeyFor({ resourceIds: [target.resourceId], selector: { kind: 'assessment', assessmentKey: request.recommendation.assessmentKey ?? '' } });
}

/** The open keys a request holds: its dedupe key, and for a burst request each target's resource key. */
export function openKeysOf(request: ExemptionRequest): string[] {
  if (!request.burst) return [request.dedupeKey];
  return [...new Set([request.dedupeKey, ...request.targets.map((target) => resourceKey(request, target))])];
}

/**
 * Whether `request` still holds the open key `key`. A joinable burst request also holds a key it has not
 * stored yet: a joiner may be between claiming the resource and writing it. Once sealed, a key naming it
 * for a resource it does not hold is stale (that joiner crashed), and may be taken over.
 */
export function holdsOpenKey(request: ExemptionRequest, key: string): boolean {
  if (!OPEN_STATES.has(request.state)) return false;
  return !request.burst || isJoinable(request) || openKeysOf(request).includes(key);
}

/** Joins the burst's open request, or opens a new one; a resource already in an open request is a duplicate. */
export async function submitToBurst(
  ports: BurstPorts,
  command: IntakeCommand,
  resolution: Resolution,
  settings: BurstSettings,
): Promise<IntakeOutcome> {
  const burstKey = burstKeyFor(command, subscriptionOf(command.resourceIds[0]!)!);
  for (let round = 0; round < MAX_WINDOW_ROUNDS; round++) {
    const now = ports.clock.now();
    const created = newRequest(command, resolution, now);
    const closesAt = new Date(now.getTime() + settings.windowSeconds * 1000).toISOString();
    const request: ExemptionRequest = { ...created.request, burst: { key: burstKey, closesAt } };
    // Refused with the 4xx as any request is, before any key is taken.
    checkRequestSize(request, ports.store.maxDocumentBytes);
    const window = await ports.windows.claimWindow(burstKey, request.id);
    if (window.kind === 'held') {
      const joined = await join(ports, window.request.id, request);
      if (joined) return joined;
      continue; // that window closed or filled meanwhile: open the next one
    }
    const outcome = await ports.store.create(request, { ...created.audit, detail: `${created.audit.detail}; collects its burst until ${closesAt}` });
    if (!outcome.created) {
      await ports.windows.releaseWindow(burstKey, request.id);
      return { kind: 'duplicate', request: outcome.existing };
    }
    await ports.notifyQueue.send({ kind: 'notify', requestId: request.id }, { delaySeconds: settings.windowSeconds });
    return { kind: 'created', request: outcome.request.value };
  }
  throw new Error(`burst ${burstKey}: its windows kept closing while this event looked for one`);
}

/**
 * Adds `single`'s one target to request `requestId`. Undefined when that request took no more targets
 * (sealed, decided, due or full): the caller opens a new one.
 */
async function join(ports: BurstPorts, requestId: string, single: ExemptionRequest): Promise<IntakeOutcome | undefined> {
  const target = single.targets[0]!;
  const key = await ports.windows.claimResource(single.dedupeKey, requestId);
  if (key.kind === 'held') return { kind: 'duplicate', request: key.request };
  for (let round = 0; round < MAX_JOIN_ROUNDS; round++) {
    const now = ports.clock.now();
    const stored = await ports.store.get(requestId);
    if (stored && openKeysOf(stored.value).includes(single.dedupeKey)) return { kind: 'duplicate', request: stored.value };
    const refusal = stored ? whyNotJoin(stored.value, target, now, ports.store.maxDocumentBytes) : 'closed';
    if (refusal === 'due' || refusal === 'full') {
      try {
        await seal(ports, stored!, now, 'defender', refusal === 'due' ? 'its window closed' : 'it is full');
      } catch (error) {
        if (error instanceof ConcurrencyError) continue;
        throw error;
      }
    }
    if (refusal) {
      // Sealed or closed without this resource, which it can no longer gain: the key must not name it.
      await ports.windows.releaseResource(single.dedupeKey, requestId);
      return undefined;
    }
    const joined = withTarget(stored!.value, single, now);
    try {
      const updated = await ports.store.update(joined.request, stored!.etag, [joined.audit]);
      return { kind: 'coalesced', request: updated.value };
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
    }
    await backOff(round);
  }
  throw new Error(`request ${requestId}: too many concurrent changes while joining its burst`);
}

/**
 * Fifty events of a burst arrive together and all but one lose each round; a random pause, growing
 * with the rounds lost, spreads them out so that the rounds are not all lost again at once.
 */
function backOff(round: number): Promise<void> {
  const ms = Math.random() * Math.min(2 ** round, 64);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function whyNotJoin(request: ExemptionRequest, target: ExemptionTarget, now: Date, maxDocumentBytes: number): 'closed' | 'due' | 'full' | undefined {
  if (!isJoinable(request)) return 'closed';
  if (now.getTime() >= Date.parse(request.burst!.closesAt)) return 'due';
  if (request.targets.length >= BURST_MAX_RESOURCES) return 'full';
  try {
    checkRequestSize({ ...request, targets: [...request.targets, target] }, maxDocumentBytes);
  } catch (error) {
    if (error instanceof RequestTooLargeError) return 'full';
    throw error;
  }
  return undefined;
}

/** The request with one more target; its expiry is the earliest any event of the burst asked for. */
function withTarget(request: ExemptionRequest, single: ExemptionRequest, now: Date) {
  const target = single.targets[0]!;
  const expiresOn = Date.parse(single.expiresOn) < Date.parse(request.expiresOn) ? single.expiresOn : request.expiresOn;
  const exemptions = target.assignments.length + (target.standards?.length ?? 0);
  return annotate(request, {
    actor: single.requestedBy, channel: 'defender', at: now, action: 'joined burst',
    detail: `${target.resourceId}: ${exemptions} exemption(s) resolved; ${request.targets.length + 1} resources`,
    changes: { targets: [...request.targets, target], expiresOn },
  });
}

/**
 * Marks a burst request as taking no more targets. Returns the latest version: sealed, or moved on by
 * someone else; a ConcurrencyError means it changed under us and the caller looks again.
 */
export async function seal(
  ports: Pick<RequestPorts, 'store'>,
  stored: Versioned<ExemptionRequest>,
  now: Date,
  channel: 'defender' | 'notify-worker',
  reason: string,
): Promise<Versioned<ExemptionRequest>> {
  const burst = stored.value.burst;
  if (!burst || burst.sealedAt !== undefined) return stored;
  const sealed = annotate(stored.value, {
    actor: 'system', channel, at: now, action: 'burst closed',
    detail: `${reason}: ${stored.value.targets.length} resources`,
    changes: { burst: { ...burst, sealedAt: now.toISOString() } },
  });
  return ports.store.update(sealed.request, stored.etag, [sealed.audit]);
}

/**
 * The notify worker's gate for a burst request: before its window closes the message is sent again
 * with the time that remains (a redelivery, a renotify or a clock a little behind the intake's must not
 * mail early), and `undefined` says so; after, the request is sealed, so what is mailed is all it holds.
 */
export async function sealForNotify(
  ports: Pick<RequestPorts, 'clock' | 'store' | 'notifyQueue'>,
  stored: Versioned<ExemptionRequest>,
): Promise<Versioned<ExemptionRequest> | undefined> {
  let current = stored;
  for (let round = 0; round < MAX_JOIN_ROUNDS; round++) {
    const burst = current.value.burst;
    if (!burst || burst.sealedAt !== undefined || current.value.state !== 'received') return current;
    const now = ports.clock.now();
    const remainingMs = Date.parse(burst.closesAt) - now.getTime();
    if (remainingMs > 0) {
      await ports.notifyQueue.send({ kind: 'notify', requestId: current.value.id }, { delaySeconds: Math.ceil(remainingMs / 1000) });
      return undefined;
    }
    try {
      return await seal(ports, current, now, 'notify-worker', 'its window closed');
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
    }
    const reloaded = await ports.store.get(current.value.id);
    if (!reloaded) return current;
    current = reloaded;
  }
  throw new Error(`request ${stored.value.id}: too many concurrent changes while closing its burst`);
}

/** Whether a burst request's window is still open at `now`: its notification is on its way, delayed. */
export function isWindowOpen(request: ExemptionRequest, now: Date): boolean {
  return isJoinable(request) && now.getTime() < Date.parse(request.burst!.closesAt);
}
