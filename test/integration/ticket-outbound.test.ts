import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { DEFAULT_TICKET_MAPPINGS } from '../../lib/tickets/mapping.js';
import { jiraIssueCreated, jiraIssueTransitioned, type JiraIssue } from '../fixtures/tickets/jira.js';
import { serviceNowRecord } from '../fixtures/tickets/servicenow.js';
import { trustSimCertificate } from '../sim/index.js';
import { SEED } from '../sim/seed-ids.js';
import { startJiraSim, type JiraSim } from '../sim/tickets/jira-sim.js';
import { startServiceNowSim, type ServiceNowSim } from '../sim/tickets/servicenow-sim.js';
import type { Delivery } from '../sim/tickets/webhook-senders.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { eventually } from '../support/review-flow.js';

const [, ALICE, BOB] = SEED.contactEmails[SEED.subscriptions.production]! as [string, string, string];
const REQUESTER = 'dev.owner@contoso.com';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

let app: AppUnderTest;
let jira: JiraSim;
let servicenow: ServiceNowSim;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  [jira, servicenow] = await Promise.all([startJiraSim(), startServiceNowSim()]);
  trustSimCertificate(jira.caCertPem);
  trustSimCertificate(servicenow.caCertPem);
  app = await startAppUnderTest({
    WEBHOOK_SECRET_JIRA: jira.webhookSecret,
    WEBHOOK_SECRET_STANDARD: servicenow.webhookSecret,
    JIRA_BASE_URL: jira.baseUrl, JIRA_USER_EMAIL: jira.email, JIRA_API_TOKEN: jira.apiToken,
    SERVICENOW_INSTANCE_URL: servicenow.instanceUrl, SERVICENOW_CLIENT_ID: servicenow.clientId, SERVICENOW_CLIENT_SECRET: servicenow.clientSecret,
    TICKET_MAPPINGS: JSON.stringify({ jira: { ...DEFAULT_TICKET_MAPPINGS.jira, outbound: { transitions: { approved: '31', applied: '41' } } } }),
  });
});
afterAll(async () => {
  await app?.close();
  await Promise.all([jira?.close(), servicenow?.close()]);
});

const send = (source: string, delivery: Delivery) => app.post(`/api/webhooks/${source}`, delivery.body, delivery.headers);
const issue = (key: string, resourceId: string, assessmentKey: string): JiraIssue => ({
  key, resourceIds: [resourceId], assessmentKey, justification: 'Accepted by the change board.', dueDate: inDays(30), reporter: REQUESTER,
});
const commentsOn = (key: string, count: number) =>
  eventually(async () => (jira.comments(key).length >= count ? jira.comments(key) : undefined), `${count} comment(s) on ${key}`);

describe('the ticket follows the request', () => {
  it('a Jira issue gets a comment in Atlassian Document Format for each state change, and moves where the mapping says', async () => {
    const i = issue('SEC-201', SEED.twoAssignments.resourceId, SEED.twoAssignments.assessmentKey);
    const created = await jira.send(`${app.baseUrl}/api/webhooks/jira`, jiraIssueCreated(i));
    expect(created.status).toBe(202);
    const id: string = created.json.id;
    await app.waitForState(id, ['notified']);
    await commentsOn('SEC-201', 1);
    expect((await jira.send(`${app.baseUrl}/api/webhooks/jira`, jiraIssueTransitioned(i, 'Risk accepted', { email: ALICE, accountId: 'a' }, '30001'))).status).toBe(200);
    const applied = await app.waitForState(id, ['applied']);
    const comments = await commentsOn('SEC-201', 3);
    expect(comments).toHaveLength(3);
    // The approval's note and the exemptions' note travel as separate queue messages: no order is promised.
    const starting = (heading: string) => comments.find((c) => c.text.startsWith(heading))!;
    const notified = starting(`Exemption request ${id} is waiting for a security approver.`);
    const approved = starting(`Exemption request ${id} was approved.`);
    const exempted = starting(`The policy exemptions for request ${id} were created`);
    expect(notified.body).toMatchObject({ type: 'doc', version: 1, content: [{ type: 'paragraph' }, { type: 'bulletList' }] });
    expect(notified.text).toContain(`Resource: ${i.resourceIds[0]}`);
    expect(approved.text).toContain(`Approved by: ${ALICE}`);
    for (const exemption of applied.exemptions) expect(exempted.text).toContain(exemption.id);
    // The transition follows its comment in the same message.
    await eventually(async () => (jira.transitions('SEC-201').length === 2 ? true : undefined), 'both transitions');
    expect(jira.transitions('SEC-201').map((t) => t.id).sort()).toEqual(['31', '41']);
    const call = jira.calls.find((c) => c.path === '/rest/api/3/issue/SEC-201/comment')!;
    expect(call.headers.authorization).toBe(`Basic ${Buffer.from(`${jira.email}:${jira.apiToken}`).toString('base64')}`);
  });

  it('writes a refused transition back to the issue with the reason', async () => {
    const i = issue('SEC-202', SEED.initiativeAndDirect.resourceId, SEED.initiativeAndDirect.assessmentKey);
    const id: string = (await send('jira', jira.sign(jiraIssueCreated(i)))).json.id;
    await app.waitForState(id, ['notified']);
    expect((await send('jira', jira.sign(jiraIssueTransitioned(i, 'Risk accepted', { email: REQUESTER, accountId: 'd' }, '30011')))).status).toBe(403);
    expect((await send('jira', jira.sign(jiraIssueTransitioned(i, 'Rejected', { email: 'mallory@contoso.com', accountId: 'm' }, '30012')))).status).toBe(403);
    const comments = await commentsOn('SEC-202', 3);
    const texts = comments.map((c) => c.text);
    expect(texts).toContain('The exemption request was not approved: the requester cannot decide their own request.');
    expect(texts).toContain('The exemption request was not rejected: mallory@contoso.com is not an approver of this request (a notified security contact or a configured approver).');
    expect((await app.get(`/api/exemption-requests/${id}`)).json.state).toBe('notified');
  });

  it('a ServiceNow record gets a work note per state change through the Table API, with an OAuth client-credentials token', async () => {
    const record = {
      number: 'RITM0020001', sysId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', resourceIds: [SEED.resources.storageData],
      assessmentKey: SEED.assessmentKeys.secureTransfer, justification: 'Partner upload endpoint.', openedBy: REQUESTER,
    };
    const id: string = (await servicenow.send(`${app.baseUrl}/api/webhooks/servicenow`, serviceNowRecord(record, 'insert'))).json.id;
    await app.waitForState(id, ['notified']);
    await eventually(async () => (servicenow.workNotes(record.sysId).length >= 1 ? true : undefined), 'the notified work note');
    expect((await send('servicenow', servicenow.sign(serviceNowRecord(record, 'update', { approval: 'rejected', by: BOB })))).json.state).toBe('rejected');
    const notes = await eventually(async () => (servicenow.workNotes(record.sysId).length >= 2 ? servicenow.workNotes(record.sysId) : undefined), 'two work notes');
    expect(notes.map((n) => [n.table, n.text.split('\n')[0]])).toEqual([
      ['sc_req_item', `Exemption request ${id} is waiting for a security approver.`],
      ['sc_req_item', `Exemption request ${id} was rejected.`],
    ]);
    expect(servicenow.calls.some((c) => c.path === '/oauth_token.do')).toBe(true);
    expect(servicenow.calls.filter((c) => c.method === 'PATCH').every((c) => String(c.headers.authorization).startsWith('Bearer '))).toBe(true);
  });

  it('a failed apply is written with the ARM error', async () => {
    const { resourceId, assessmentKey } = SEED.deniedResource;
    const i = issue('SEC-203', resourceId, assessmentKey);
    const id: string = (await send('jira', jira.sign(jiraIssueCreated(i)))).json.id;
    await app.waitForState(id, ['notified']);
    const approver = SEED.contactEmails[SEED.subscriptions.shared]![1]!;
    expect((await send('jira', jira.sign(jiraIssueTransitioned(i, 'Risk accepted', { email: approver, accountId: 'c' }, '30021')))).status).toBe(200);
    await app.waitForState(id, ['failed']);
    const comments = await eventually(async () => jira.comments('SEC-203').find((c) => c.text.includes('failed')), 'the failure comment');
    expect(comments.text).toMatch(/Azure answered 403 AuthorizationFailed/);
  });

  it('the sweep\'s events reach the ticket through the same queue, once each', async () => {
    const i = issue('SEC-204', SEED.resources.storageShared, SEED.assessmentKeys.secureTransfer);
    const id: string = (await send('jira', jira.sign(jiraIssueCreated(i)))).json.id;
    await commentsOn('SEC-204', 1);
    const queue = new QueueClient(app.azurite.connectionString, STORAGE_NAMES.ticketsQueue);
    const expiring = JSON.stringify({ kind: 'request-event', requestId: id, event: 'expiring', thresholdDays: 7 });
    const revoked = JSON.stringify({ kind: 'request-event', requestId: id, event: 'revoked', detail: 'exemption deleted in the portal' });
    await queue.sendMessage(expiring);
    await commentsOn('SEC-204', 2);
    // Repeats arrive after the first was handled (a notify retry is a visibility timeout later).
    for (const m of [expiring, revoked]) await queue.sendMessage(m);
    const comments = await commentsOn('SEC-204', 3);
    expect(comments[1]!.text).toMatch(/expire .* \(in 7 days or less\)/);
    expect(comments[2]!.text).toMatch(/changed or removed outside the app\.\nexemption deleted in the portal/);
    // The repeated expiring event was drained too, and wrote nothing.
    await eventually(async () => ((await app.queuedMessages(STORAGE_NAMES.ticketsQueue)) === 0 ? true : undefined), 'the tickets queue to drain');
    await eventually(async () => (app.logs.some((l) => l.includes('note expiring-7 was already written to SEC-204')) ? true : undefined), 'the repeat to be seen');
    expect(jira.comments('SEC-204')).toHaveLength(3);
  });

  it('a transition that fails is retried on its own: the comment is not written twice', async () => {
    const i = issue('SEC-206', SEED.resources.sqlDatabaseProd, SEED.assessmentKeys.sqlTde);
    const id: string = (await send('jira', jira.sign(jiraIssueCreated(i)))).json.id;
    await commentsOn('SEC-206', 1);
    await app.waitForState(id, ['notified']);
    jira.outage(true, 'transitions');
    try {
      expect((await send('jira', jira.sign(jiraIssueTransitioned(i, 'Risk accepted', { email: ALICE, accountId: 'a' }, '30041')))).status).toBe(200);
      await eventually(async () => (jira.calls.some((c) => c.path === '/rest/api/3/issue/SEC-206/transitions') ? true : undefined), 'a refused transition');
      await app.host.holdQueue(STORAGE_NAMES.ticketsQueue);
    } finally {
      jira.outage(false);
    }
    app.host.releaseQueue(STORAGE_NAMES.ticketsQueue);
    await eventually(async () => (jira.transitions('SEC-206').length === 2 ? true : undefined), 'both transitions (approved, applied)');
    const approvals = jira.comments('SEC-206').filter((c) => c.text.startsWith(`Exemption request ${id} was approved.`));
    expect(approvals).toHaveLength(1);
  });

  it('an outage of Jira is retried through the queue, and the request completes regardless', async () => {
    jira.outage(true);
    const i = issue('SEC-205', SEED.resources.keyVaultProd, SEED.assessmentKeys.keyVaultSoftDelete);
    const created = await send('jira', jira.sign(jiraIssueCreated(i)));
    expect(created.status, JSON.stringify(created.json)).toBe(202);
    const id: string = created.json.id;
    await app.waitForState(id, ['notified']);
    await eventually(async () => (jira.calls.some((c) => c.path === '/rest/api/3/issue/SEC-205/comment') ? true : undefined), 'a comment attempt during the outage');
    // Held, so the outage's length cannot use up the message's tries; the request goes on without Jira.
    await app.host.holdQueue(STORAGE_NAMES.ticketsQueue);
    expect((await send('jira', jira.sign(jiraIssueTransitioned(i, 'Risk accepted', { email: BOB, accountId: 'b' }, '30031')))).status).toBe(200);
    expect((await app.waitForState(id, ['applied', 'failed'])).state).toBe('applied');
    expect(jira.comments('SEC-205')).toEqual([]);
    jira.outage(false);
    app.host.releaseQueue(STORAGE_NAMES.ticketsQueue);
    const comments = await commentsOn('SEC-205', 3);
    // A retried note arrives after the ones that were not held up: queues promise no order.
    expect(comments.map((c) => c.text.split('\n')[0]!.replace(/ were created.*/, '')).sort()).toEqual([
      `Exemption request ${id} is waiting for a security approver.`,
      `Exemption request ${id} was approved.`,
      `The policy exemptions for request ${id}`,
    ].sort());
  });
});
