import type { z } from 'zod';
import { lazily, zod } from '../core/lazy-zod.js';
import { NOTE_KINDS, type NoteKind } from './ticket-notes.js';

export const TICKET_SOURCES = ['jira', 'servicenow', 'standard'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

export function isTicketSource(value: string | undefined): value is TicketSource {
  return (TICKET_SOURCES as readonly string[]).includes(value ?? '');
}

/**
 * Where each value sits in a source's payload, as dotted paths ("issue.fields.customfield_10100").
 * Only own properties are followed, so a path can never reach a prototype.
 */
export interface TicketMapping {
  /** The path of the event type ("webhookEvent" for Jira). */
  readonly eventType: string;
  readonly ticket: {
    readonly key: string;
    readonly url?: string;
    /** ServiceNow: the record's sys_id and table, which the work notes are written to. */
    readonly sysId?: string;
    readonly table?: string;
  };
  readonly create?: {
    readonly events: readonly string[];
    readonly fields: {
      readonly resourceIds: string;
      readonly assessmentKey?: string;
      readonly policyAssignmentId?: string;
      readonly policyDefinitionReferenceIds?: string;
      readonly justification: string;
      readonly expiresOn?: string;
      readonly category?: string;
      readonly requestedBy: string;
      /** Where the requester's e-mail is hidden: their account id, looked up in `accounts`. */
      readonly requestedByAccountId?: string;
    };
  };
  readonly decide?: {
    readonly events: readonly string[];
    /** Jira: the changelog item of this field says where the ticket went; others: the value at `path`. */
    readonly status: { readonly changelog: string } | { readonly path: string };
    readonly approve: readonly string[];
    readonly reject: readonly string[];
    readonly approver: { readonly email?: string; readonly accountId?: string };
    readonly comment?: string;
  };
  /** Jira Cloud hides most e-mail addresses from webhooks: account id → the person's e-mail. */
  readonly accounts?: Readonly<Record<string, string>>;
  /**
   * Where the ticket moves when the request does: a Jira transition id, or the value ServiceNow's
   * `state` field is set to, per state change. Without an entry the ticket only gets the note.
   */
  readonly outbound?: { readonly transitions: Partial<Record<NoteKind, string>> };
}

export type TicketMappings = Readonly<Record<TicketSource, TicketMapping>>;

/** The defaults docs/ticketing.md documents field by field. */
export const DEFAULT_TICKET_MAPPINGS: TicketMappings = {
  jira: {
    eventType: 'webhookEvent',
    ticket: { key: 'issue.key', url: 'issue.self' },
    create: {
      events: ['jira:issue_created'],
      fields: {
        resourceIds: 'issue.fields.customfield_10100',
        assessmentKey: 'issue.fields.customfield_10101',
        justification: 'issue.fields.description',
        expiresOn: 'issue.fields.duedate',
        category: 'issue.fields.customfield_10102.value',
        requestedBy: 'issue.fields.reporter.emailAddress',
        requestedByAccountId: 'issue.fields.reporter.accountId',
      },
    },
    decide: {
      events: ['jira:issue_updated'],
      status: { changelog: 'status' },
      approve: ['Risk accepted'],
      reject: ['Rejected'],
      approver: { email: 'user.emailAddress', accountId: 'user.accountId' },
    },
  },
  servicenow: {
    eventType: 'event',
    ticket: { key: 'record.number', sysId: 'record.sys_id', table: 'table' },
    create: {
      events: ['insert'],
      fields: {
        resourceIds: 'record.u_resource_ids',
        assessmentKey: 'record.u_assessment_key',
        justification: 'record.description',
        expiresOn: 'record.u_expires_on',
        category: 'record.u_exemption_category',
        requestedBy: 'record.opened_by_email',
      },
    },
    decide: {
      events: ['update'],
      status: { path: 'record.approval' },
      approve: ['approved'],
      reject: ['rejected'],
      approver: { email: 'record.sys_updated_by_email' },
      comment: 'record.comments',
    },
  },
  standard: {
    eventType: 'type',
    ticket: { key: 'data.ticket.key', url: 'data.ticket.url' },
    create: {
      events: ['exemption.requested'],
      fields: {
        resourceIds: 'data.resourceIds',
        assessmentKey: 'data.assessmentKey',
        policyAssignmentId: 'data.policyAssignmentId',
        policyDefinitionReferenceIds: 'data.policyDefinitionReferenceIds',
        justification: 'data.justification',
        expiresOn: 'data.expiresOn',
        category: 'data.category',
        requestedBy: 'data.requestedBy',
      },
    },
    decide: {
      events: ['exemption.decided'],
      status: { path: 'data.decision' },
      approve: ['approved'],
      reject: ['rejected'],
      approver: { email: 'data.actor' },
      comment: 'data.comment',
    },
  },
};

const PATH = /^[A-Za-z0-9_$-]{1,64}(\.[A-Za-z0-9_$-]{1,64}){0,15}$/;

const schemas = lazily(() => {
  const z = zod();
  const path = z.string().regex(PATH, 'must be a dotted path of names (a.b.c)').refine(
    (p) => !p.split('.').some((s) => ['__proto__', 'prototype', 'constructor'].includes(s)), 'must not name __proto__, prototype or constructor');
  const events = z.array(z.string().min(1).max(128)).min(1).max(20);
  const statuses = z.array(z.string().min(1).max(128)).max(20);
  const mapping = z.strictObject({
    eventType: path,
    ticket: z.strictObject({ key: path, url: path.optional(), sysId: path.optional(), table: path.optional() }),
    create: z.strictObject({
      events,
      fields: z.strictObject({
        resourceIds: path, assessmentKey: path.optional(), policyAssignmentId: path.optional(),
        policyDefinitionReferenceIds: path.optional(), justification: path, expiresOn: path.optional(),
        category: path.optional(), requestedBy: path, requestedByAccountId: path.optional(),
      }),
    }).optional(),
    decide: z.strictObject({
      events,
      status: z.union([z.strictObject({ changelog: z.string().min(1).max(64) }), z.strictObject({ path })]),
      approve: statuses,
      reject: statuses,
      approver: z.strictObject({ email: path.optional(), accountId: path.optional() })
        .refine((a) => a.email !== undefined || a.accountId !== undefined, 'must name email or accountId'),
      comment: path.optional(),
    }).optional(),
    accounts: z.record(z.string().regex(/^[A-Za-z0-9:_-]{1,128}$/), z.string().trim().toLowerCase().pipe(z.email())).optional(),
    outbound: z.strictObject({ transitions: z.partialRecord(z.enum(NOTE_KINDS), z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be a transition id or state value')) }).optional(),
  });
  return z.strictObject({ jira: mapping.optional(), servicenow: mapping.optional(), standard: mapping.optional() });
});

/**
 * TICKET_MAPPINGS: a JSON object with any of "jira", "servicenow", "standard"; a source named there
 * replaces that source's default whole, so what runs is exactly what one reads in the setting.
 */
export function parseTicketMappings(raw: string | undefined): { ok: true; value: TicketMappings } | { ok: false; problems: string[] } {
  if (raw === undefined || raw.trim() === '') return { ok: true, value: DEFAULT_TICKET_MAPPINGS };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { ok: false, problems: [`TICKET_MAPPINGS is not JSON: ${(error as Error).message}`] };
  }
  const parsed = (schemas() as z.ZodType<Partial<Record<TicketSource, TicketMapping>>>).safeParse(json);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => `TICKET_MAPPINGS.${i.path.join('.')}: ${i.message}`) };
  }
  return { ok: true, value: { ...DEFAULT_TICKET_MAPPINGS, ...parsed.data } as TicketMappings };
}

/** The value at a dotted path, following own properties only; undefined when any step is missing. */
export function readPath(payload: unknown, path: string): unknown {
  let value: unknown = payload;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
