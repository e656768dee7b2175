import { describe, expect, it } from 'vitest';
import { DEFAULT_TICKET_MAPPINGS, parseTicketMappings, readPath } from '../../../lib/tickets/mapping.js';
import { ticketAction } from '../../../lib/tickets/ticket-event.js';

describe('TICKET_MAPPINGS', () => {
  it('is the documented defaults when empty, and replaces one source whole when given', () => {
    expect(parseTicketMappings(undefined)).toEqual({ ok: true, value: DEFAULT_TICKET_MAPPINGS });
    const custom = { eventType: 'kind', ticket: { key: 'id' } };
    const parsed = parseTicketMappings(JSON.stringify({ standard: custom }));
    expect(parsed).toEqual({ ok: true, value: { ...DEFAULT_TICKET_MAPPINGS, standard: custom } });
  });

  it('refuses unknown keys, bad paths and paths into prototypes, naming each', () => {
    const problems = (value: unknown) => { const r = parseTicketMappings(JSON.stringify(value)); return r.ok ? [] : r.problems; };
    expect(problems({ github: {} })[0]).toMatch(/TICKET_MAPPINGS\.: .*github/);
    expect(problems({ jira: { eventType: 'a..b', ticket: { key: 'k' } } })[0]).toMatch(/^TICKET_MAPPINGS\.jira\.eventType: must be a dotted path/);
    expect(problems({ jira: { eventType: 'issue.__proto__.x', ticket: { key: 'k' } } })[0]).toMatch(/__proto__/);
    expect(problems({ jira: { eventType: 'e', ticket: { key: 'k' }, accounts: { abc: 'not-an-email' } } })[0]).toMatch(/accounts\.abc/);
    expect(parseTicketMappings('{not json')).toMatchObject({ ok: false, problems: [expect.stringMatching(/not JSON/)] });
  });

  it('reads own properties only: a path never reaches a prototype or an inherited member', () => {
    expect(readPath({ a: { b: [{ c: 1 }] } }, 'a.b.0.c')).toBe(1);
    expect(readPath({}, 'constructor')).toBeUndefined();
    expect(readPath({ a: 'text' }, 'a.length')).toBeUndefined();
    expect(readPath(JSON.parse('{"__proto__":{"x":1}}'), '__proto__.x')).toBe(1);
  });
});

describe('what a Jira payload asks for under the default mapping', () => {
  const jira = DEFAULT_TICKET_MAPPINGS.jira;
  const issue = { key: 'SEC-1', self: 'https://contoso.atlassian.net/rest/api/2/10001', fields: {} };

  it('decides only on a status the mapping names, by the changelog item of the status field', () => {
    const moved = (to: string) => ({ webhookEvent: 'jira:issue_updated', user: { emailAddress: 'A@contoso.com' }, issue, changelog: { id: '7', items: [{ field: 'status', toString: to }] } });
    expect(ticketAction(jira, moved('Risk accepted'))).toMatchObject({ kind: 'decide', outcome: 'approve', approver: 'a@contoso.com', eventId: '7', ticket: { key: 'SEC-1' } });
    expect(ticketAction(jira, moved('Rejected'))).toMatchObject({ kind: 'decide', outcome: 'reject' });
    expect(ticketAction(jira, moved('In Progress'))).toMatchObject({ kind: 'ignored' });
  });

  it('names the approver by account id through the mapping\'s accounts, and nobody otherwise', () => {
    const payload = { webhookEvent: 'jira:issue_updated', user: { accountId: 'acc-1' }, issue, changelog: { items: [{ field: 'status', toString: 'Rejected' }] } };
    expect(ticketAction({ ...jira, accounts: { 'acc-1': 'bob@contoso.com' } }, payload)).toMatchObject({ approver: 'bob@contoso.com' });
    expect(ticketAction(jira, payload)).toMatchObject({ approver: undefined, approverSeen: 'account acc-1' });
  });

  it('names nobody for an address longer than any can be, and shows it cut short', () => {
    const payload = { webhookEvent: 'jira:issue_updated', user: { emailAddress: `${'a'.repeat(300)}@contoso.com` }, issue, changelog: { items: [{ field: 'status', toString: 'Rejected' }] } };
    expect(ticketAction(jira, payload)).toMatchObject({ kind: 'decide', approver: undefined, approverSeen: `${'a'.repeat(64)}…` });
  });

  it('splits a text field of resource ids and reads a due date as the end of that day', () => {
    const created = { webhookEvent: 'jira:issue_created', issue: { ...issue, fields: { customfield_10100: 'a\nb, c', duedate: '2027-01-31', description: 'why', reporter: { emailAddress: 'r@contoso.com' } } } };
    expect(ticketAction(jira, created)).toMatchObject({ kind: 'create', body: { resourceIds: ['a', 'b', 'c'], expiresOn: '2027-01-31T23:59:59Z', ticketRef: 'SEC-1' } });
  });

  it('names a requester whose address Jira hides through the mapping\'s accounts, and says so when it cannot', () => {
    const created = (reporter: object) => ({ webhookEvent: 'jira:issue_created', issue: { ...issue, fields: { description: 'why', reporter } } });
    expect(ticketAction({ ...jira, accounts: { 'acc-9': 'dev@contoso.com' } }, created({ accountId: 'acc-9' }))).toMatchObject({ body: { requestedBy: 'dev@contoso.com' } });
    expect(ticketAction(jira, created({ accountId: 'acc-9' }))).toMatchObject({ body: { requestedBy: 'unmapped account acc-9' }, from: { requestedBy: 'issue.fields.reporter.accountId' } });
  });

  it('reads ServiceNow date and date-time values as UTC', () => {
    const sn = DEFAULT_TICKET_MAPPINGS.servicenow;
    const record = (u_expires_on: string) => ({ event: 'insert', table: 'sc_req_item', record: { number: 'RITM1', sys_id: 'a'.repeat(32), u_expires_on } });
    expect(ticketAction(sn, record('2027-01-31'))).toMatchObject({ body: { expiresOn: '2027-01-31T23:59:59Z' } });
    expect(ticketAction(sn, record('2027-01-31 17:00:00'))).toMatchObject({ body: { expiresOn: '2027-01-31T17:00:00Z' } });
  });

  it('refuses a ticket key or sys_id outside the grammar, naming the payload field', () => {
    const created = { webhookEvent: 'jira:issue_created', issue: { ...issue, key: 'SEC-1/../x' } };
    expect(ticketAction(jira, created)).toEqual({ kind: 'invalid', problems: [{ field: 'issue.key', message: expect.stringMatching(/ticket key/) }] });
    const sn = { event: 'insert', table: 'sc_req_item', record: { number: 'RITM1', sys_id: "1' or 1=1" } };
    expect(ticketAction(DEFAULT_TICKET_MAPPINGS.servicenow, sn)).toMatchObject({ kind: 'invalid', problems: [{ field: 'record.sys_id' }] });
  });
});
