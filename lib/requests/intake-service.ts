import { coalesces, submitToBurst, type BurstSettings } from './burst.js';
import { renotifyIfLost } from './renotify.js';
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
  if (outcome.kind === 'duplicate') await renotifyIfLost(ports.notifyQueue, outcome.request, ports.clock.now());
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
