import { coalesces, isWindowOpen, submitToBurst, type BurstSettings } from './burst.js';
import type { IntakeCommand } from './intake-command.js';
import type { ExemptionRequest } from './model.js';
import { newRequest } from './new-request.js';
import type { RequestPorts } from './ports.js';
import { checkRequestSize, clipResolved } from './request-size.js';
import type { BurstWindows } from './ports/burst-windows.js';
import { resolveTargets, type Resolution } from './resolve-targets.js';

export type IntakeOutcome =
  | { readonly kind: 'created'; readonly request: ExemptionRequest }
  | { readonly kind: 'duplicate'; readonly request: ExemptionRequest }
  /** A Defender relay event that joined the open request of its burst (lib/requests/burst.ts). */
  | { readonly kind: 'coalesced'; readonly request: ExemptionRequest };

/**
 * A duplicate re-queues the notification of a still-`received` request only when that request has sat
 * this long: its message was probably lost. A younger one is still on its way, and twenty identical
 * intakes at once must not send twenty notifications.
 */
const RENOTIFY_AFTER_MS = 5 * 60_000;

/**
 * Turns a validated command into a stored request and queues its notification. Resolution happens
 * first, so a request that cannot become an exemption, or could outgrow the store once decided and
 * applied (RequestTooLargeError), is refused and nothing is stored. With `coalesce` on, a Defender relay
 * event joins its burst's open request instead (burst.ts); every other source is one request per call.
 */
export async function submitRequest(
  ports: Pick<RequestPorts, 'clock' | 'store' | 'arm' | 'notifyQueue'>,
  command: IntakeCommand,
  coalesce?: BurstSettings & { readonly windows: BurstWindows },
): Promise<IntakeOutcome> {
  const resolution = clipResolved(await resolveTargets(ports.arm, command.resourceIds, command.selector, command.hints ?? {}, { maxScopeLevel: command.maxScopeLevel, now: ports.clock.now() }));
  const outcome = coalesce && coalesces(command, resolution, coalesce)
    ? await submitToBurst({ ...ports, windows: coalesce.windows }, command, resolution, coalesce)
    : await submitSingle(ports, command, resolution);
  if (outcome.kind === 'duplicate') await renotifyIfLost(ports, outcome.request);
  return outcome;
}

async function submitSingle(
  ports: Pick<RequestPorts, 'clock' | 'store' | 'notifyQueue'>,
  command: IntakeCommand,
  resolution: Resolution,
): Promise<IntakeOutcome> {
  const { request, audit } = newRequest(command, resolution, ports.clock.now());
  checkRequestSize(request, ports.store.maxDocumentBytes);
  const outcome = await ports.store.create(request, audit);
  if (!outcome.created) return { kind: 'duplicate', request: outcome.existing };
  await ports.notifyQueue.send({ kind: 'notify', requestId: request.id });
  return { kind: 'created', request: outcome.request.value };
}

/**
 * A duplicate of a request still `received` long after its last change: its notify message was
 * probably lost, so one is sent again. A burst whose window is open has its message waiting for it.
 */
async function renotifyIfLost(ports: Pick<RequestPorts, 'clock' | 'notifyQueue'>, existing: ExemptionRequest): Promise<void> {
  const now = ports.clock.now();
  if (existing.state === 'received' && now.getTime() - Date.parse(existing.updatedAt) >= RENOTIFY_AFTER_MS && !isWindowOpen(existing, now)) {
    await ports.notifyQueue.send({ kind: 'notify', requestId: existing.id });
  }
}
