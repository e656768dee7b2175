import type { FieldProblem } from '../requests/intake-command.js';
import { readPath, type TicketMapping } from './mapping.js';

/** Ticket keys and sys_ids go into outbound URL paths and table keys: a strict alphabet, bounded. */
export const TICKET_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const SYS_ID = /^[0-9a-f]{32}$/;
const TABLE = /^[a-z][a-z0-9_]{0,79}$/;

export interface TicketRef {
  readonly key: string;
  readonly url?: string;
  readonly sysId?: string;
  readonly table?: string;
}

export type TicketAction =
  | { readonly kind: 'ignored'; readonly why: string }
  | { readonly kind: 'invalid'; readonly problems: FieldProblem[] }
  /** `body` is in the API's own request shape, for the API's own parser. */
  | { readonly kind: 'create'; readonly ticket: TicketRef; readonly body: Record<string, unknown>; readonly from: Readonly<Record<string, string>> }
  | {
    readonly kind: 'decide'; readonly ticket: TicketRef; readonly outcome: 'approve' | 'reject';
    readonly approver: string | undefined; readonly approverSeen: string; readonly comment?: string; readonly eventId?: string;
  };

/** What a verified payload asks for, under the source's mapping. Reads; never evaluates. */
export function ticketAction(mapping: TicketMapping, payload: unknown): TicketAction {
  const type = readPath(payload, mapping.eventType);
  if (typeof type !== 'string') return { kind: 'ignored', why: `no event type at ${mapping.eventType}` };
  const ticket = ticketRef(mapping, payload);
  if (mapping.create?.events.includes(type)) {
    if (!ticket.ok) return { kind: 'invalid', problems: ticket.problems };
    const fields = mapping.create.fields;
    const body: Record<string, unknown> = { ticketRef: ticket.value.key };
    const from: Record<string, string> = {};
    const put = (name: string, path: string | undefined, convert: (v: unknown) => unknown = (v) => v) => {
      if (path === undefined) return;
      const value = readPath(payload, path);
      if (value === undefined || value === null || value === '') return;
      body[name] = convert(value);
      from[name] = path;
    };
    put('resourceIds', fields.resourceIds, list);
    put('assessmentKey', fields.assessmentKey);
    put('policyAssignmentId', fields.policyAssignmentId);
    put('policyDefinitionReferenceIds', fields.policyDefinitionReferenceIds, list);
    put('justification', fields.justification);
    put('expiresOn', fields.expiresOn, endOfDay);
    put('category', fields.category);
    put('requestedBy', fields.requestedBy);
    if (body['requestedBy'] === undefined && fields.requestedByAccountId !== undefined) {
      put('requestedBy', fields.requestedByAccountId, (account) => accountEmail(mapping, account) ?? `unmapped account ${String(account).slice(0, 128)}`);
    }
    // A field the mapping names that the payload lacks is reported under its own name, by the API's parser.
    for (const required of ['resourceIds', 'justification', 'requestedBy']) from[required] ??= fields[required as 'justification'];
    return { kind: 'create', ticket: ticket.value, body, from };
  }
  if (mapping.decide?.events.includes(type)) {
    const decide = mapping.decide;
    const status = 'changelog' in decide.status ? changelogStatus(payload, decide.status.changelog) : readPath(payload, decide.status.path);
    const outcome = typeof status !== 'string' ? undefined
      : decide.approve.includes(status) ? 'approve' : decide.reject.includes(status) ? 'reject' : undefined;
    if (!outcome) return { kind: 'ignored', why: `${type} with status ${typeof status === 'string' ? `"${status.slice(0, 64)}"` : '(none)'} decides nothing` };
    if (!ticket.ok) return { kind: 'invalid', problems: ticket.problems };
    const who = approverOf(mapping, payload);
    const comment = decide.comment === undefined ? undefined : readPath(payload, decide.comment);
    const eventId = readPath(payload, 'changelog.id');
    return {
      kind: 'decide', ticket: ticket.value, outcome, approver: who.email, approverSeen: who.seen,
      ...(typeof comment === 'string' && comment.trim() ? { comment: comment.slice(0, 2_000) } : {}),
      ...(typeof eventId === 'string' || typeof eventId === 'number' ? { eventId: String(eventId) } : {}),
    };
  }
  return { kind: 'ignored', why: `event type "${type.slice(0, 64)}" is not mapped` };
}

function ticketRef(mapping: TicketMapping, payload: unknown): { ok: true; value: TicketRef } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const text = (path: string | undefined, grammar: RegExp, what: string): string | undefined => {
    if (path === undefined) return undefined;
    const value = readPath(payload, path);
    if (typeof value === 'string' && grammar.test(value)) return value;
    problems.push({ field: path, message: `must be ${what}` });
    return undefined;
  };
  const key = text(mapping.ticket.key, TICKET_KEY, 'the ticket key (letters, digits, "-" and "_", at most 64)');
  const sysId = text(mapping.ticket.sysId, SYS_ID, 'a sys_id (32 hex digits)');
  const table = text(mapping.ticket.table, TABLE, 'a table name (lower-case letters, digits, "_")');
  const url = mapping.ticket.url === undefined ? undefined : readPath(payload, mapping.ticket.url);
  if (problems.length > 0 || key === undefined) return { ok: false, problems };
  return {
    ok: true,
    value: {
      key,
      ...(typeof url === 'string' && /^https:\/\/[^\s]{1,500}$/.test(url) ? { url } : {}),
      ...(sysId ? { sysId } : {}),
      ...(table ? { table } : {}),
    },
  };
}

/** Jira says where an issue moved in `changelog.items`: the item for `field` and its `toString`. */
function changelogStatus(payload: unknown, field: string): string | undefined {
  const items = readPath(payload, 'changelog.items');
  if (!Array.isArray(items)) return undefined;
  const item = items.find((i) => i && typeof i === 'object' && (i as Record<string, unknown>)['field'] === field);
  const to = item ? (item as Record<string, unknown>)['toString'] : undefined;
  return typeof to === 'string' ? to : undefined;
}

/** The person who moved the ticket: the e-mail the payload gives, else the one their account id maps to. */
function approverOf(mapping: TicketMapping, payload: unknown): { email?: string; seen: string } {
  const path = mapping.decide!.approver;
  const email = path.email === undefined ? undefined : readPath(payload, path.email);
  // Longer than any address can be: nobody, shown cut short (it ends up in the ticket and the log).
  if (typeof email === 'string' && email.trim().length > 254) return { seen: `${email.trim().slice(0, 64)}…` };
  if (typeof email === 'string' && email.trim()) return { email: email.trim().toLowerCase(), seen: email.trim() };
  const account = path.accountId === undefined ? undefined : readPath(payload, path.accountId);
  if (typeof account === 'string' && account) {
    const mapped = accountEmail(mapping, account);
    return { ...(mapped ? { email: mapped } : {}), seen: `account ${account.slice(0, 128)}` };
  }
  return { seen: '(nobody named)' };
}

function accountEmail(mapping: TicketMapping, account: unknown): string | undefined {
  return typeof account === 'string' && mapping.accounts && Object.hasOwn(mapping.accounts, account) ? mapping.accounts[account] : undefined;
}

/** A text field holding several ids: one per line, or separated by commas, semicolons or blanks. */
function list(value: unknown): unknown {
  return typeof value === 'string' ? value.split(/[\s,;]+/).filter(Boolean) : value;
}

/**
 * A date-only expiry (Jira's due date, a ServiceNow date field) means the end of that day, as on the
 * review page; ServiceNow's date-time values ("2027-01-31 17:00:00", UTC) become ISO 8601.
 */
function endOfDay(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T23:59:59Z`;
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return `${value.replace(' ', 'T')}Z`;
  return value;
}
