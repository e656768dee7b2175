import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { DAY_MS } from '../core/time.js';
import { isKeyVaultReference } from '../config/settings.js';
import { decide, type DecideSettings, type Refusal } from '../requests/decision-service.js';
import { parseDirectRequest } from '../requests/direct-request.js';
import type { IntakeLimits } from '../requests/intake-command.js';
import { submitRequest } from '../requests/intake-service.js';
import type { RequestPorts } from '../requests/ports.js';
import { requestView } from '../requests/request-view.js';
import { problemFromError } from '../web/http-errors.js';
import { json, problem } from '../web/problem.js';
import { readCappedBody, utf8 } from '../web/read-capped-body.js';
import { bodyRefusal } from '../web/read-json-body.js';
import { isTicketSource, TICKET_SOURCES, type TicketMappings, type TicketSource } from './mapping.js';
import { refusalText } from './refusal-text.js';
import { standardWebhookKey, verifyJira, verifyStandard } from './signature.js';
import { ticketAction, type TicketAction } from './ticket-event.js';
import type { TicketLink, TicketStore } from './ticket-store.js';

/** Jira retries for about 30 minutes; a day covers that with room, and rows past it may be taken over. */
export const DELIVERY_MEMORY_DAYS = 1;

export const SECRET_SETTING: Record<TicketSource, string> = {
  jira: 'WEBHOOK_SECRET_JIRA', servicenow: 'WEBHOOK_SECRET_STANDARD', standard: 'WEBHOOK_SECRET_STANDARD',
};

export interface WebhookSettings {
  readonly secrets: { readonly jira?: string; readonly standard?: string };
  readonly mappings: TicketMappings;
  readonly maxBodyBytes: number;
  readonly limits: IntakeLimits;
  readonly decide: DecideSettings;
  readonly publicBaseUrl: string;
}

export interface WebhookDeps {
  readonly settings: WebhookSettings;
  readonly clock: RequestPorts['clock'];
  readonly tickets: () => Promise<TicketStore>;
  readonly ports: () => Promise<RequestPorts>;
  /** Writes a refused decision's reason back to the ticket (through the tickets queue). */
  readonly writeBack?: (link: TicketLink, text: string, deliveryId: string) => Promise<void>;
  readonly log: Pick<InvocationContext, 'log' | 'warn' | 'error'>;
}

/**
 * POST /api/webhooks/{source}. Nothing about a delivery is believed, or stored, before its signature
 * has been checked over the raw bytes; nothing is stored for a delivery that is refused or ignored.
 */
export async function receiveTicketWebhook(deps: WebhookDeps, sourceParam: string | undefined, request: Pick<HttpRequest, 'headers' | 'body'>): Promise<HttpResponseInit> {
  if (!isTicketSource(sourceParam)) {
    return problem(404, 'no such webhook source', [{ field: 'source', message: `must be one of ${TICKET_SOURCES.join(', ')}` }]);
  }
  const source = sourceParam;
  const secret = source === 'jira' ? deps.settings.secrets.jira : deps.settings.secrets.standard;
  const key = secret && !isKeyVaultReference(secret) && source !== 'jira' ? standardWebhookKey(secret) : undefined;
  if (!secret || isKeyVaultReference(secret) || (source !== 'jira' && !key)) {
    deps.log.warn(`ticket webhook "${source}" refused: ${SECRET_SETTING[source]} is ${secret && !isKeyVaultReference(secret) ? 'not a whsec_ secret' : 'not set'}`);
    return problem(401, `webhooks from ${source} are not configured`);
  }
  const body = await readCappedBody(request, deps.settings.maxBodyBytes);
  if (!body.ok) return bodyRefusal(body.reason, deps.settings.maxBodyBytes);
  const now = deps.clock.now();
  const verified = source === 'jira' ? verifyJira(secret, request.headers, body.bytes) : verifyStandard(key!, request.headers, body.bytes, now);
  if (!verified.ok) {
    deps.log.warn(`ticket webhook "${source}" refused: ${verified.reason}`);
    return problem(401, `the delivery is not signed by ${source}: ${verified.reason}`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(utf8(body.bytes) ?? '\u0000');
  } catch {
    return problem(400, 'the body is not UTF-8 JSON', [{ field: 'body', message: 'must be a JSON document' }]);
  }
  const action = ticketAction(deps.settings.mappings[source], payload);
  const delivery = { source, id: verified.deliveryId, now };
  try {
    switch (action.kind) {
      case 'ignored':
        deps.log.log(`ticket webhook "${source}" delivery ${delivery.id} ignored: ${action.why}`);
        return json(202, { status: 'ignored', reason: action.why });
      case 'invalid':
        return problem(422, 'the ticket does not carry what the mapping names; nothing was stored', action.problems);
      case 'create':
        return await create(deps, delivery, action);
      case 'decide':
        return await decideFromTicket(deps, delivery, action);
    }
  } catch (error) {
    // The sender retries what failed here: the claim is given up so that the retry is acted on.
    await (await deps.tickets()).releaseDelivery(claimScope(source), delivery.id).catch(() => undefined);
    return problemFromError(error, deps.log);
  }
}

interface Delivery {
  readonly source: TicketSource;
  readonly id: string;
  readonly now: Date;
}

/**
 * ServiceNow and other Standard Webhooks senders share one secret, and the signature does not cover the
 * URL: a delivery counts once across both routes, or one signed body could be acted on twice.
 */
const claimScope = (source: TicketSource): TicketSource => (source === 'jira' ? 'jira' : 'standard');

async function claim(deps: WebhookDeps, delivery: Delivery): Promise<boolean> {
  const expiresAt = new Date(delivery.now.getTime() + DELIVERY_MEMORY_DAYS * DAY_MS);
  const claimed = await (await deps.tickets()).claimDelivery(claimScope(delivery.source), delivery.id, expiresAt, delivery.now);
  if (!claimed) deps.log.log(`ticket webhook "${delivery.source}" delivery ${delivery.id} was already received; nothing changed`);
  return claimed;
}

const alreadyReceived = (delivery: Delivery) => json(200, { status: 'already-received', deliveryId: delivery.id });

async function create(deps: WebhookDeps, delivery: Delivery, action: Extract<TicketAction, { kind: 'create' }>): Promise<HttpResponseInit> {
  const parsed = parseDirectRequest(action.body, deps.settings.limits, delivery.now);
  if (!parsed.ok) {
    // Named by the payload field the mapping read, which is what the ticket's admin can fix.
    const problems = parsed.problems.map((p) => ({ field: action.from[p.field.split('.')[0]!] ?? p.field, message: `${p.field} ${p.message}` }));
    return problem(422, 'the ticket\'s fields do not make a valid exemption request; nothing was stored', problems);
  }
  const tickets = await deps.tickets();
  const linked = await tickets.byTicket(delivery.source, action.ticket.key);
  if (linked) return json(200, { status: 'duplicate', requestId: linked.requestId });
  if (!(await claim(deps, delivery))) return alreadyReceived(delivery);
  const ports = await deps.ports();
  const outcome = await submitRequest(ports, { ...parsed.command, source: 'ticket', ticketRef: action.ticket.key });
  if (outcome.kind === 'duplicate') {
    // Another channel's open request for the same resources: it keeps its own ticket, if any.
    deps.log.log(`ticket ${delivery.source} ${action.ticket.key} duplicates open request ${outcome.request.id}; not linked`);
    return json(200, { status: 'duplicate', requestId: outcome.request.id });
  }
  await tickets.link({ source: delivery.source, requestId: outcome.request.id, ...action.ticket });
  return json(202, requestView(outcome.request, deps.settings.publicBaseUrl));
}

async function decideFromTicket(deps: WebhookDeps, delivery: Delivery, action: Extract<TicketAction, { kind: 'decide' }>): Promise<HttpResponseInit> {
  const tickets = await deps.tickets();
  const link = await tickets.byTicket(delivery.source, action.ticket.key);
  if (!link) {
    deps.log.log(`ticket webhook "${delivery.source}" delivery ${delivery.id} ignored: no request is linked to ${action.ticket.key}`);
    return json(202, { status: 'ignored', reason: `no request is linked to ${action.ticket.key}` });
  }
  if (!(await claim(deps, delivery))) return alreadyReceived(delivery);
  let refusal: Refusal;
  if (action.approver === undefined) {
    refusal = { code: 'not-an-approver', approver: action.approverSeen };
  } else {
    const ports = { ...(await deps.ports()), warn: (m: string) => deps.log.warn(m) };
    // Jira's changelog id is inside the signed body; the delivery id is not signed by Jira.
    const credentialId = `${delivery.source}-${action.eventId ?? delivery.id}`;
    const result = await decide(ports, deps.settings.decide, {
      requestId: link.requestId, approver: action.approver, channel: 'ticket', credentialId, outcome: action.outcome,
      ...(action.comment === undefined ? {} : { comment: action.comment }),
    });
    if (result.kind === 'decided') return json(200, { status: 'decided', requestId: link.requestId, state: result.request.state });
    refusal = result.reason;
  }
  const text = refusalText(refusal);
  deps.log.warn(`ticket ${delivery.source} ${action.ticket.key}: decision refused: ${text}`);
  try {
    await deps.writeBack?.(link, `The exemption request was not ${action.outcome === 'approve' ? 'approved' : 'rejected'}: ${text}.`.slice(0, 2_000), delivery.id);
  } catch (error) {
    deps.log.warn(`could not queue the refusal note for ${action.ticket.key}: ${String((error as Error)?.message ?? error)}`);
  }
  return problem(403, `the decision was refused: ${text}`, [{ field: 'approver', message: text }]);
}
