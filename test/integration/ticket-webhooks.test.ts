import { randomBytes } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { DEFAULT_TICKET_MAPPINGS } from '../../lib/tickets/mapping.js';
import { receiveTicketWebhook } from '../../lib/tickets/webhook-service.js';
import { createServices } from '../../lib/composition-root.js';
import { jiraIssueCreated, jiraIssueEdited, jiraIssueTransitioned, type JiraIssue } from '../fixtures/tickets/jira.js';
import { serviceNowRecord } from '../fixtures/tickets/servicenow.js';
import { SEED } from '../sim/seed-ids.js';
import { jiraDelivery, newStandardSecret, standardDelivery, type Delivery } from '../sim/tickets/webhook-senders.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';

const JIRA_SECRET = randomBytes(32).toString('hex');
const STANDARD_SECRET = newStandardSecret();
const [, ALICE, BOB] = SEED.contactEmails[SEED.subscriptions.production]! as [string, string, string];
const REQUESTER = 'dev.owner@contoso.com';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

let app: AppUnderTest;
let links: TableClient;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest({ WEBHOOK_SECRET_JIRA: JIRA_SECRET, WEBHOOK_SECRET_STANDARD: STANDARD_SECRET, MAX_BODY_BYTES: '4096' });
  links = TableClient.fromConnectionString(app.azurite.connectionString, STORAGE_NAMES.ticketsTable, { allowInsecureConnection: true });
});
afterAll(async () => app?.close());

const send = (source: string, delivery: Delivery) => app.post(`/api/webhooks/${source}`, delivery.body, delivery.headers);

/** Every row the ticket channel keeps, and every stored request: what a refusal must leave alone. */
async function storedEverything(): Promise<{ requests: number; ticketRows: string[] }> {
  const ticketRows: string[] = [];
  try {
    for await (const row of links.listEntities()) ticketRows.push(`${row.partitionKey}/${row.rowKey}`);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
  return { requests: await app.storedRequestCount(), ticketRows: ticketRows.sort() };
}

const jiraIssue: JiraIssue = {
  key: 'SEC-101', resourceIds: [SEED.twoAssignments.resourceId], assessmentKey: SEED.twoAssignments.assessmentKey,
  justification: 'Behind a private endpoint; migration planned for Q2.', dueDate: inDays(60), category: 'Mitigated', reporter: REQUESTER,
};

describe('a Jira issue opens a request, and its transition decides it', () => {
  it('creates the request from a signed issue_created, approves it on "Risk accepted", and the exemption carries the key', async () => {
    const created = await send('jira', jiraDelivery(JIRA_SECRET, jiraIssueCreated(jiraIssue), { identifier: 'jira-create-101' }));
    expect(created.status).toBe(202);
    expect(created.json).toMatchObject({ source: 'ticket', ticketRef: 'SEC-101', requestedBy: REQUESTER, category: 'Mitigated', state: 'received' });
    expect(created.json.expiresOn).toBe(`${jiraIssue.dueDate}T23:59:59.000Z`);
    const id: string = created.json.id;
    await app.waitForState(id, ['notified']);

    // Jira retries with the same identifier; a second ticket event for the same issue is no second request.
    const before = await storedEverything();
    const replay = await send('jira', jiraDelivery(JIRA_SECRET, jiraIssueCreated(jiraIssue), { identifier: 'jira-create-101' }));
    expect(replay.status).toBe(200);
    const again = await send('jira', jiraDelivery(JIRA_SECRET, jiraIssueCreated(jiraIssue), { identifier: 'jira-create-101-b' }));
    expect(again).toMatchObject({ status: 200, json: { status: 'duplicate', requestId: id } });
    expect(await storedEverything()).toEqual(before);

    const approve = jiraDelivery(JIRA_SECRET, jiraIssueTransitioned(jiraIssue, 'Risk accepted', { email: ALICE, accountId: 'acc-alice' }, '20001'), { identifier: 'jira-approve-101' });
    const decided = await send('jira', approve);
    expect(decided).toMatchObject({ status: 200, json: { status: 'decided', requestId: id, state: 'approved' } });
    expect((await send('jira', approve)).json).toMatchObject({ status: 'already-received' });

    const applied = await app.waitForState(id, ['applied', 'failed']);
    expect(applied).toMatchObject({ state: 'applied', decision: { by: ALICE, channel: 'ticket' } });
    const exemptions = app.sim.exemptions().filter((e) => e.properties.metadata?.requestId === id);
    expect(exemptions).toHaveLength(2);
    for (const e of exemptions) expect(e.properties.metadata).toMatchObject({ ticketRef: 'SEC-101', approvedBy: ALICE, requestedBy: REQUESTER });
  });

  it('refuses a transition by the requester or by someone who is not an approver, and changes nothing', async () => {
    const issue: JiraIssue = { ...jiraIssue, key: 'SEC-102', resourceIds: [SEED.initiativeAndDirect.resourceId], assessmentKey: SEED.initiativeAndDirect.assessmentKey };
    const created = await send('jira', jiraDelivery(JIRA_SECRET, jiraIssueCreated(issue)));
    expect(created.status).toBe(202);
    const id: string = created.json.id;
    await app.waitForState(id, ['notified']);
    const audit = (await app.get(`/api/exemption-requests/${id}?audit=true`)).json;

    const own = await send('jira', jiraDelivery(JIRA_SECRET, jiraIssueTransitioned(issue, 'Risk accepted', { email: 'Dev.Owner+jira@contoso.com', accountId: 'acc-dev' }, '20011')));
    expect(own.status).toBe(403);
    expect(own.headers.get('content-type')).toBe('application/problem+json');
    expect(own.json.detail).toMatch(/requester cannot decide their own request/);

    const mallory = await send('jira', jiraDelivery(JIRA_SECRET, jiraIssueTransitioned(issue, 'Rejected', { email: 'mallory@contoso.com', accountId: 'acc-m' }, '20012')));
    expect(mallory.status).toBe(403);
    expect(mallory.json.detail).toMatch(/mallory@contoso.com is not an approver/);

    // Jira hides the address and no account mapping names this person: nobody to hold to the rules.
    const hidden = await send('jira', jiraDelivery(JIRA_SECRET, jiraIssueTransitioned(issue, 'Risk accepted', { accountId: 'acc-unknown' }, '20013')));
    expect(hidden.status).toBe(403);
    expect(hidden.json.detail).toMatch(/account acc-unknown is not an approver/);

    expect((await app.get(`/api/exemption-requests/${id}?audit=true`)).json).toEqual(audit);
  });

  it('ignores events the mapping does not decide on (202) and stores nothing', async () => {
    const before = await storedEverything();
    const edited = await send('jira', jiraDelivery(JIRA_SECRET, jiraIssueEdited(jiraIssue, ALICE)));
    expect(edited).toMatchObject({ status: 202, json: { status: 'ignored' } });
    const deleted = await send('jira', jiraDelivery(JIRA_SECRET, { ...jiraIssueCreated(jiraIssue), webhookEvent: 'jira:issue_deleted' }));
    expect(deleted).toMatchObject({ status: 202, json: { status: 'ignored', reason: 'event type "jira:issue_deleted" is not mapped' } });
    expect(app.logs.join('\n')).toMatch(/jira:issue_deleted" is not mapped/);
    expect(await storedEverything()).toEqual(before);
  });

  it('answers a mapped payload that is not a valid request with 422 naming the payload field, and stores nothing', async () => {
    const before = await storedEverything();
    const bad = { ...jiraIssue, key: 'SEC-103', resourceIds: ['/subscriptions/../providers/x'] };
    const response = await send('jira', jiraDelivery(JIRA_SECRET, jiraIssueCreated(bad)));
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.json.errors[0].field).toBe('issue.fields.customfield_10100');
    const noKey = jiraIssueCreated({ ...jiraIssue, key: 'SEC-104' }) as any;
    noKey.issue.key = '../SEC-104';
    const badKey = await send('jira', jiraDelivery(JIRA_SECRET, noKey));
    expect(badKey.status).toBe(422);
    expect(badKey.json.errors[0].field).toBe('issue.key');
    expect(await storedEverything()).toEqual(before);
  });
});

describe('ServiceNow and any Standard Webhooks sender', () => {
  it('a ServiceNow record opens a request and approval = approved by an approver decides it', async () => {
    const record = {
      number: 'RITM0010042', sysId: '9d385017c611228701d22104cc95c371', resourceIds: [SEED.resources.storageData],
      assessmentKey: SEED.assessmentKeys.secureTransfer, justification: 'Legacy partner integration needs HTTP.', openedBy: REQUESTER,
    };
    const created = await send('servicenow', standardDelivery(STANDARD_SECRET, serviceNowRecord(record, 'insert')));
    expect(created.status).toBe(202);
    expect(created.json).toMatchObject({ ticketRef: 'RITM0010042', source: 'ticket' });
    const id: string = created.json.id;
    await app.waitForState(id, ['notified']);
    const decided = await send('servicenow', standardDelivery(STANDARD_SECRET, serviceNowRecord(record, 'update', { approval: 'approved', by: BOB, comments: 'OK until the partner moves' })));
    expect(decided).toMatchObject({ status: 200, json: { status: 'decided', state: 'approved' } });
    const applied = await app.waitForState(id, ['applied', 'failed']);
    expect(applied).toMatchObject({ state: 'applied', decision: { by: BOB, channel: 'ticket', comment: 'OK until the partner moves' } });
    expect(app.sim.exemptions().find((e) => e.properties.metadata?.requestId === id)?.properties.metadata?.ticketRef).toBe('RITM0010042');
  });

  it('a generic sender opens and rejects a request, with a rotated key list', async () => {
    const old = newStandardSecret();
    const ticket = { key: 'CHG-7', url: 'https://changes.contoso.example/CHG-7' };
    const requested = {
      type: 'exemption.requested', timestamp: new Date().toISOString(),
      data: { ticket, resourceIds: [SEED.resources.storageShared], assessmentKey: SEED.assessmentKeys.secureTransfer, justification: 'Shared network, reviewed by CAB.', requestedBy: REQUESTER },
    };
    const created = await send('standard', standardDelivery([old, STANDARD_SECRET], requested));
    expect(created.status).toBe(202);
    const id: string = created.json.id;
    await app.waitForState(id, ['notified']);
    const decision = { type: 'exemption.decided', data: { ticket, decision: 'rejected', actor: 'carol.shared@contoso.com' } };
    expect((await send('standard', standardDelivery(STANDARD_SECRET, decision))).json).toMatchObject({ status: 'decided', state: 'rejected' });
  });
});

describe('each delivery counts once', () => {
  it('of the same delivery sent many times at once, exactly one creates and one decides', async () => {
    const issue: JiraIssue = { ...jiraIssue, key: 'SEC-150', resourceIds: [SEED.resources.storageRestricted] };
    const create = jiraDelivery(JIRA_SECRET, jiraIssueCreated(issue), { identifier: 'jira-race-create' });
    const creates = await Promise.all(Array.from({ length: 6 }, () => send('jira', create)));
    expect(creates.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 202]);
    const id: string = creates.find((r) => r.status === 202)!.json.id;
    await app.waitForState(id, ['notified']);
    const approver = SEED.contactEmails[SEED.subscriptions.shared]![1]!;
    const approve = jiraDelivery(JIRA_SECRET, jiraIssueTransitioned(issue, 'Rejected', { email: approver, accountId: 'c' }, '20101'), { identifier: 'jira-race-decide' });
    const decisions = await Promise.all(Array.from({ length: 6 }, () => send('jira', approve)));
    expect(decisions.filter((r) => r.json?.status === 'decided')).toHaveLength(1);
    expect(decisions.filter((r) => r.json?.status === 'already-received')).toHaveLength(5);
    const audit = (await app.get(`/api/exemption-requests/${id}`)).json.auditTrail as { action: string }[];
    expect(audit.filter((a) => a.action === 'rejected')).toHaveLength(1);
  });

  it('a delivery that failed on our side (ARM down) stores nothing, and the sender\'s retry of it is acted on', async () => {
    const issue: JiraIssue = { ...jiraIssue, key: 'SEC-151', resourceIds: [SEED.resources.keyVaultProd], assessmentKey: SEED.assessmentKeys.keyVaultSoftDelete };
    const delivery = jiraDelivery(JIRA_SECRET, jiraIssueCreated(issue), { identifier: 'jira-arm-down' });
    const before = await storedEverything();
    app.sim.faults.add({ operationId: 'Assessments_Get', kind: 'error', status: 500, times: 20 });
    try {
      const failed = await send('jira', delivery);
      expect(failed.status).toBe(503);
      expect(failed.headers.get('content-type')).toBe('application/problem+json');
    } finally {
      app.sim.faults.clear();
    }
    expect(await storedEverything()).toEqual(before);
    expect((await send('jira', delivery)).status).toBe(202);
  });

  it('a Standard Webhooks delivery counts once across the servicenow and standard routes, which share a secret', async () => {
    const record = {
      number: 'RITM0010077', sysId: '0123456789abcdef0123456789abcdef', resourceIds: [SEED.resources.sqlDatabaseProd],
      assessmentKey: SEED.assessmentKeys.sqlTde, justification: 'TDE with customer key pending.', openedBy: REQUESTER,
    };
    // A body that both routes' mappings would act on, each creating its own request.
    const both = {
      ...serviceNowRecord(record, 'insert'),
      type: 'exemption.requested',
      data: { ticket: { key: 'CHG-77' }, resourceIds: [SEED.resources.vmSandbox], assessmentKey: SEED.assessmentKeys.jit, justification: 'Lab VM.', requestedBy: REQUESTER },
    };
    const delivery = standardDelivery(STANDARD_SECRET, both, { id: 'msg_cross_route' });
    expect((await send('servicenow', delivery)).status).toBe(202);
    const before = await storedEverything();
    expect(await send('standard', delivery)).toMatchObject({ status: 200, json: { status: 'already-received' } });
    expect(await storedEverything()).toEqual(before);
  });
});

describe('refused before anything is believed, and nothing is stored', () => {
  const valid = () => jiraDelivery(JIRA_SECRET, jiraIssueCreated({ ...jiraIssue, key: 'SEC-900', resourceIds: [SEED.resources.vmSandbox] }));
  const std = (at = new Date()) => standardDelivery(STANDARD_SECRET, { type: 'exemption.requested', data: {} }, { at });
  const cases: [string, string, () => Delivery, number][] = [
    ['a wrong Jira secret', 'jira', () => jiraDelivery('not-the-secret', jiraIssueCreated(jiraIssue)), 401],
    ['an unsigned Jira delivery', 'jira', () => { const d = valid(); delete d.headers['x-hub-signature']; return d; }, 401],
    ['a tampered Jira body', 'jira', () => { const d = valid(); return { ...d, body: d.body.replace('SEC-900', 'SEC-901') }; }, 401],
    ['a wrong Standard Webhooks secret', 'standard', () => standardDelivery(newStandardSecret(), { type: 'exemption.requested' }), 401],
    ['an unsigned Standard Webhooks delivery', 'servicenow', () => { const d = std(); delete d.headers['webhook-signature']; return d; }, 401],
    ['a stale timestamp', 'standard', () => std(new Date(Date.now() - 6 * 60_000)), 401],
    ['a future timestamp', 'standard', () => std(new Date(Date.now() + 6 * 60_000)), 401],
    ['a tampered Standard Webhooks body', 'servicenow', () => { const d = std(); return { ...d, body: d.body.replace('requested', 'decided') }; }, 401],
    ['an unknown source', 'github', valid, 404],
    ['an oversized body', 'jira', () => jiraDelivery(JIRA_SECRET, { ...jiraIssueCreated(jiraIssue), padding: 'x'.repeat(5_000) }), 413],
  ];
  it.each(cases)('%s', async (_label, source, make, status) => {
    const before = await storedEverything();
    const response = await send(source, make());
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await storedEverything()).toEqual(before);
  });

  it('refuses a source whose secret is unset, or an unresolved Key Vault reference, with a log line naming the setting', async () => {
    const services = createServices({ env: app.env });
    for (const secret of [undefined, '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/webhook-secret-jira/)']) {
      const context = new InvocationContext({ functionName: 'ticketWebhook' });
      const warnings: string[] = [];
      context.warn = (m: unknown) => { warnings.push(String(m)); };
      const d = valid();
      const request = new HttpRequest({ method: 'POST', url: 'http://localhost/api/webhooks/jira', headers: d.headers, body: { string: d.body } });
      const before = await storedEverything();
      const response = await receiveTicketWebhook({
        settings: { secrets: { ...(secret ? { jira: secret } : {}) }, mappings: DEFAULT_TICKET_MAPPINGS, maxBodyBytes: 4096, limits: services.settings.limits, decide: { fallbackApprovers: [], maxExpiryDays: 365 }, publicBaseUrl: 'http://localhost' },
        clock: services.clock, tickets: services.ticketStore, ports: services.ports, log: context,
      }, 'jira', request);
      expect(response.status).toBe(401);
      expect(warnings.join('\n')).toMatch(/WEBHOOK_SECRET_JIRA is not set/);
      expect(await storedEverything()).toEqual(before);
    }
  });

  it('refuses Standard Webhooks while its secret is not a whsec_ key, naming the setting', async () => {
    const services = createServices({ env: app.env });
    const context = new InvocationContext({ functionName: 'ticketWebhook' });
    const warnings: string[] = [];
    context.warn = (m: unknown) => { warnings.push(String(m)); };
    const d = standardDelivery(STANDARD_SECRET, { type: 'exemption.requested', data: {} });
    const request = new HttpRequest({ method: 'POST', url: 'http://localhost/api/webhooks/servicenow', headers: d.headers, body: { string: d.body } });
    const response = await receiveTicketWebhook({
      settings: { secrets: { standard: 'whsec_tooshort' }, mappings: DEFAULT_TICKET_MAPPINGS, maxBodyBytes: 4096, limits: services.settings.limits, decide: { fallbackApprovers: [], maxExpiryDays: 365 }, publicBaseUrl: 'http://localhost' },
      clock: services.clock, tickets: services.ticketStore, ports: services.ports, log: context,
    }, 'servicenow', request);
    expect(response.status).toBe(401);
    expect(warnings.join('\n')).toMatch(/WEBHOOK_SECRET_STANDARD is not a whsec_ secret/);
  });
});
