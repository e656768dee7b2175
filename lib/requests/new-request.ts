import { subscriptionOf } from '../azure/resource-id.js';
import type { IntakeCommand } from './intake-command.js';
import type { AuditEntry, ExemptionRequest } from './model.js';
import { dedupeKeyFor, newRequestId } from './request-id.js';
import type { Resolution } from './resolve-targets.js';

/** A new `received` request for a resolved command, and the audit entry that records its creation. */
export function newRequest(command: IntakeCommand, resolution: Resolution, now: Date): { request: ExemptionRequest; audit: AuditEntry } {
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
  const audit: AuditEntry = {
    requestId: request.id, at, actor: command.requestedBy, channel: command.source, action: 'created', to: 'received',
    detail: `${resolution.targets.reduce((n, t) => n + t.assignments.length, 0)} exemption(s) resolved; requester ${command.requesterAssurance}`,
  };
  return { request, audit };
}
