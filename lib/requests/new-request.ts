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
    detail: `${exemptionCount(resolution)}; requester ${command.requesterAssurance}`,
  };
  return { request, audit };
}

/** What the audit trail says was resolved: both kinds, so a mixed request reads as one. */
function exemptionCount(resolution: Resolution): string {
  const policy = resolution.targets.reduce((n, t) => n + t.assignments.length, 0);
  const standards = resolution.targets.reduce((n, t) => n + (t.standards?.length ?? 0), 0);
  const parts = [`${policy} policy exemption(s)`, ...(standards > 0 ? [`${standards} standard-assignment exemption(s)`] : [])];
  const wide = resolution.targets.filter((t) => t.coverage).map((t) => `${t.resourceId} covers ${t.coverage!.partial ? 'at least ' : ''}${t.coverage!.resources} resource(s)`);
  return `${parts.join(' and ')} resolved${wide.length ? `; ${wide.join('; ')}` : ''}`;
}
