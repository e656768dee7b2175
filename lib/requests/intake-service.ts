import { subscriptionOf } from '../azure/resource-id.js';
import type { IntakeCommand } from './intake-command.js';
import type { ExemptionRequest } from './model.js';
import type { RequestPorts } from './ports.js';
import { dedupeKeyFor, newRequestId } from './request-id.js';
import { checkRequestSize, clipResolved } from './request-size.js';
import { resolveTargets } from './resolve-targets.js';

export type IntakeOutcome =
  | { readonly kind: 'created'; readonly request: ExemptionRequest }
  | { readonly kind: 'duplicate'; readonly request: ExemptionRequest };

/**
 * A duplicate re-queues the notification of a still-`received` request only when that request has sat
 * this long: its message was probably lost. A younger one is still on its way, and twenty identical
 * intakes at once must not send twenty notifications.
 */
const RENOTIFY_AFTER_MS = 5 * 60_000;

/**
 * Turns a validated command into a stored request and queues its notification. Resolution happens
 * first, so a request that cannot become an exemption, or could outgrow the store once decided and
 * applied (RequestTooLargeError), is refused and nothing is stored.
 */
export async function submitRequest(
  ports: Pick<RequestPorts, 'clock' | 'store' | 'arm' | 'notifyQueue'>,
  command: IntakeCommand,
): Promise<IntakeOutcome> {
  const resolution = clipResolved(await resolveTargets(ports.arm, command.resourceIds, command.selector, command.hints ?? {}, { maxScopeLevel: command.maxScopeLevel, now: ports.clock.now() }));
  const now = ports.clock.now();
  const at = now.toISOString();
  const request: ExemptionRequest = {
    id: newRequestId(now),
    state: 'received',
    createdAt: at,
    updatedAt: at,
    source: command.source,
    subscriptionId: subscriptionOf(command.resourceIds[0]!)!,
    recommendation: resolution.recommendation,
    targets: resolution.targets,
    category: command.category,
    justification: command.justification,
    expiresOn: command.expiresOn,
    requestedBy: command.requestedBy,
    requesterAssurance: command.requesterAssurance,
    ...(command.ticketRef === undefined ? {} : { ticketRef: command.ticketRef }),
    approvers: [],
    exemptions: [],
    dedupeKey: dedupeKeyFor(command),
  };
  checkRequestSize(request, ports.store.maxDocumentBytes);
  const outcome = await ports.store.create(request, {
    requestId: request.id, at, actor: command.requestedBy, channel: command.source, action: 'created', to: 'received',
    detail: `${resolution.targets.reduce((n, t) => n + t.assignments.length, 0)} exemption(s) resolved; requester ${command.requesterAssurance}`,
  });
  if (!outcome.created) {
    const existing = outcome.existing;
    if (existing.state === 'received' && now.getTime() - Date.parse(existing.updatedAt) >= RENOTIFY_AFTER_MS) {
      await ports.notifyQueue.send({ kind: 'notify', requestId: existing.id });
    }
    return { kind: 'duplicate', request: existing };
  }
  await ports.notifyQueue.send({ kind: 'notify', requestId: request.id });
  return { kind: 'created', request: outcome.request.value };
}
