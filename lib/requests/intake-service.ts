import { subscriptionOf } from '../azure/resource-id.js';
import type { IntakeCommand } from './intake-command.js';
import type { ExemptionRequest } from './model.js';
import type { RequestPorts } from './ports.js';
import { dedupeKeyFor, newRequestId } from './request-id.js';
import { resolveTargets } from './resolve-targets.js';

export type IntakeOutcome =
  | { readonly kind: 'created'; readonly request: ExemptionRequest }
  | { readonly kind: 'duplicate'; readonly request: ExemptionRequest };

/**
 * Turns a validated command into a stored request and queues its notification. Resolution happens
 * first, so a request that cannot become an exemption is refused (UnresolvableRequestError) and nothing
 * is stored.
 */
export async function submitRequest(
  ports: Pick<RequestPorts, 'clock' | 'store' | 'arm' | 'notifyQueue'>,
  command: IntakeCommand,
): Promise<IntakeOutcome> {
  const resolution = await resolveTargets(ports.arm, command.resourceIds, command.selector, command.hints);
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
  const outcome = await ports.store.create(request, {
    requestId: request.id, at, actor: command.requestedBy, channel: command.source, action: 'created', to: 'received',
    detail: `${resolution.targets.reduce((n, t) => n + t.assignments.length, 0)} exemption(s) resolved; requester ${command.requesterAssurance}`,
  });
  if (!outcome.created) {
    // A duplicate of a request whose notification never went out gets another chance.
    if (outcome.existing.state === 'received') await ports.notifyQueue.send({ kind: 'notify', requestId: outcome.existing.id });
    return { kind: 'duplicate', request: outcome.existing };
  }
  await ports.notifyQueue.send({ kind: 'notify', requestId: request.id });
  return { kind: 'created', request: outcome.request.value };
}
