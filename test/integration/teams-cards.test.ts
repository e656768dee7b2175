import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { fromRequestEntity, toRequestEntity } from '../../lib/store/table-entities.js';
import { SEED } from '../sim/seed-ids.js';
import { CHANNEL, cardOf, startTeamsWorld, textsIn, type TeamsWorld } from '../sim/teams/harness.js';
import { printHostLogOnFailure } from '../support/app-under-test.js';
import { notifiedRequest } from '../support/notified-request.js';
import { eventually, openReview, reviewLinkIn, submitReview } from '../support/review-flow.js';

let world: TeamsWorld;
printHostLogOnFailure(() => world?.app);

beforeAll(async () => {
  world = await startTeamsWorld();
  const { teams, users } = world;
  const installed = await teams.post(world.endpoint, teams.installation({ conversationType: 'channel', conversationId: CHANNEL, from: users.admin }));
  expect(installed.status).toBe(200);
});
afterAll(async () => world?.close());

let sequence = 0;
const REFERENCES = [SEED.mcsbReferenceIds.secureTransfer, SEED.mcsbReferenceIds.jit, SEED.mcsbReferenceIds.systemUpdates, SEED.mcsbReferenceIds.storageNetwork];
const RESOURCES = [SEED.resources.storageProd, SEED.resources.storageData, SEED.resources.vmProd];

/** A notified request on the production subscription, each on its own resource and reference id. */
async function notified() {
  const i = sequence++;
  const resourceId = RESOURCES[i % 3]!;
  const referenceId = REFERENCES[Math.floor(i / 3)]!;
  const notice = await notifiedRequest(world.app, { resourceId, policyAssignmentId: SEED.assignments.mcsbProduction, policyDefinitionReferenceIds: [referenceId] });
  return { ...notice, resourceId, referenceId };
}

function click(activityId: string, user: keyof TeamsWorld['users'], verb: string, data: Record<string, unknown>) {
  const { teams, users } = world;
  return teams.post(world.endpoint, teams.cardAction({ conversationId: CHANNEL, activityId, from: users[user], verb, data }));
}

describe('the review card in the mapped channel', () => {
  it('is posted once per request with the request\'s facts, the inputs and Approve / Reject', async () => {
    const { id, request, resourceId, referenceId } = await notified();
    const sent = await world.cardFor(id);
    const card = cardOf(sent.activity);
    const texts = textsIn(card).map((t) => t.text);
    expect(texts.map((t) => t.toLowerCase())).toContain(resourceId.toLowerCase());
    expect(texts).toContain(request.recommendation.displayName);
    expect(texts).toContain('dev.owner@contoso.com');
    expect(texts).toContain(request.justification);
    expect(texts.some((t) => t.toLowerCase().startsWith(`Azure Policy exemption at ${resourceId} under assignment `.toLowerCase())
      && t.toLowerCase().endsWith(`(${SEED.assignments.mcsbProduction}) [${referenceId}]`.toLowerCase()))).toBe(true);
    const inputs = JSON.stringify(card.body.filter((e: any) => e.type.startsWith('Input.')).map((e: any) => [e.type, e.id]));
    expect(inputs).toBe(JSON.stringify([['Input.ChoiceSet', 'category'], ['Input.Date', 'expiresOn'], ['Input.Text', 'comment']]));
    expect(card.actions.filter((a: any) => a.type === 'Action.Execute').map((a: any) => a.verb)).toEqual(['approve', 'reject']);
    // E-mail went out too.
    expect(world.app.sim.smtp.messages().some((m) => m.text.includes(id))).toBe(true);
    // A map without management groups never asks Resource Graph where the subscription sits.
    expect(world.app.sim.requests.filter((r) => r.operationId === 'Resources')).toEqual([]);
  });

  it('Approve by an approver decides through decide: the card becomes "approved", the exemptions are created, then the card says "applied"', async () => {
    const { id } = await notified();
    const sent = await world.cardFor(id);
    const data = cardOf(sent.activity).actions.find((a: any) => a.verb === 'approve').data;
    const res = await click(sent.id, 'approver', 'approve', { ...data, category: 'Mitigated', comment: 'Compensating control verified' });
    expect(res.status).toBe(200);
    expect(res.json.type).toBe('application/vnd.microsoft.card.adaptive');
    const replaced = JSON.stringify(res.json.value);
    expect(replaced).toContain('Exemption request: approved');
    expect(replaced).toContain(world.users.approver.email);
    expect(replaced).toContain('Compensating control verified');
    expect(replaced).not.toContain('Action.Execute');
    const applied = await world.app.waitForState(id, ['applied']);
    expect(applied.decision).toMatchObject({ outcome: 'approved', by: world.users.approver.email, channel: 'teams', comment: 'Compensating control verified' });
    expect(applied.category).toBe('Mitigated');
    expect(applied.exemptions.length).toBeGreaterThan(0);
    const updated = await eventually(async () => {
      const latest = world.teams.activities(CHANNEL).find((a) => a.id === sent.id)!;
      return JSON.stringify(latest.activity).includes('Exemption request: applied') ? latest : undefined;
    }, 'the card to say applied');
    for (const exemption of applied.exemptions) expect(JSON.stringify(updated.activity)).toContain(exemption.id);
    expect(world.teams.activities(CHANNEL).filter((a) => JSON.stringify(a.activity).includes(id))).toHaveLength(1);
  });
});

describe('who may click, and how often', () => {
  async function auditOf(id: string): Promise<string[]> {
    return (await world.app.get(`/api/exemption-requests/${id}`)).json.auditTrail.map((e: { action: string }) => e.action);
  }

  it.each([['stranger', 'You are not an approver'], ['requester', 'You asked for this exemption']] as const)(
    'a click by the %s is refused with a message; nothing changes', async (user, why) => {
      const { id } = await notified();
      const sent = await world.cardFor(id);
      const before = await auditOf(id);
      const data = cardOf(sent.activity).actions.find((a: any) => a.verb === 'approve').data;
      const res = await click(sent.id, user, 'approve', data);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
      expect(res.json.value).toContain(why);
      expect(res.json.value).toContain('Nothing was changed');
      const after = (await world.app.get(`/api/exemption-requests/${id}`)).json;
      expect(after.state).toBe('notified');
      expect(after.decision).toBeUndefined();
      expect(await auditOf(id)).toEqual(before);
      expect(world.teams.activities(CHANNEL).find((a) => a.id === sent.id)!.versions).toHaveLength(1);
    });

  it('a request whose targets changed after its card was sent is not decided: what is approved is what the card showed', async () => {
    const { id } = await notified();
    const sent = await world.cardFor(id);
    // Someone with write access to the table widens the scope to the resource group after the card went out.
    const table = TableClient.fromConnectionString(world.app.azurite.connectionString, STORAGE_NAMES.requestsTable, { allowInsecureConnection: true });
    const row = await table.getEntity<Record<string, unknown>>(id, 'request');
    const stored = fromRequestEntity(row);
    const widened = stored.targets.map((t) => ({ ...t, resourceId: t.resourceId.slice(0, t.resourceId.indexOf('/providers/')) }));
    await table.updateEntity(toRequestEntity({ ...stored, targets: widened }), 'Replace', { etag: row.etag });
    const data = cardOf(sent.activity).actions.find((a: any) => a.verb === 'approve').data;
    const res = await click(sent.id, 'approver', 'approve', data);
    expect(res.json.value).toContain('changed since the card was sent');
    expect((await world.app.get(`/api/exemption-requests/${id}`)).json.state).toBe('notified');
  });

  it('a card id the broker did not send for this request decides nothing', async () => {
    const { id } = await notified();
    const sent = await world.cardFor(id);
    const res = await click(sent.id, 'approver', 'approve', { requestId: id, cardId: '00000000-0000-4000-8000-000000000000' });
    expect(res.json.value).toContain('not sent here');
    expect((await world.app.get(`/api/exemption-requests/${id}`)).json.state).toBe('notified');
  });

  it('a replayed invoke decides nothing twice', async () => {
    const { id } = await notified();
    const sent = await world.cardFor(id);
    const data = cardOf(sent.activity).actions.find((a: any) => a.verb === 'reject').data;
    const first = await click(sent.id, 'approver', 'reject', { ...data, comment: 'No compensating control' });
    expect(JSON.stringify(first.json.value)).toContain('Exemption request: rejected');
    const decided = (await world.app.get(`/api/exemption-requests/${id}`)).json;
    const replay = await click(sent.id, 'approver', 'reject', { ...data, comment: 'No compensating control' });
    expect(replay.json.type).toBe('application/vnd.microsoft.activity.message');
    expect(replay.json.value).toMatch(/already rejected|already made with this card/);
    // A second approver pressing Approve on the same (stale) card changes nothing either.
    const other = await click(sent.id, 'secondApprover', 'approve', data);
    expect(other.json.type).toBe('application/vnd.microsoft.activity.message');
    const after = (await world.app.get(`/api/exemption-requests/${id}`)).json;
    expect(after.state).toBe('rejected');
    expect(after.decision).toEqual(decided.decision);
    expect(after.auditTrail).toEqual(decided.auditTrail);
  });

  it('a decision on the page after one on the card gets the same conflict as after one on the page', async () => {
    const pageThenPage = await notified();
    const links = (n: typeof pageThenPage, who: string) => reviewLinkIn(n.mails.find((m) => m.to.includes(who))!);
    const [alice, bob] = [world.users.approver.email, world.users.secondApprover.email];
    const firstPage = await openReview(links(pageThenPage, alice));
    const secondPage = await openReview(links(pageThenPage, bob));
    expect((await submitReview(world.app.baseUrl, firstPage, { decision: 'approve' })).status).toBe(200);
    const pageConflict = await submitReview(world.app.baseUrl, secondPage, { decision: 'approve' });

    const cardThenPage = await notified();
    const opened = await openReview(links(cardThenPage, bob));
    const sent = await world.cardFor(cardThenPage.id);
    const data = cardOf(sent.activity).actions.find((a: any) => a.verb === 'approve').data;
    expect((await click(sent.id, 'approver', 'approve', data)).json.type).toBe('application/vnd.microsoft.card.adaptive');
    const cardConflict = await submitReview(world.app.baseUrl, opened, { decision: 'approve' });

    expect(pageConflict.status).toBe(409);
    expect(cardConflict.status).toBe(pageConflict.status);
    const message = (html: string) => /(This request is already \w+; it can no longer be decided\.)/.exec(html)?.[1]?.replace(/approved|applying|applied/, 'STATE');
    expect(message(cardConflict.html)).toBeDefined();
    expect(message(cardConflict.html)).toBe(message(pageConflict.html));
  });
});

describe('1:1 cards', () => {
  it('an approver who installed the app personally gets the card in their chat too; deciding there updates the channel\'s card', async () => {
    const { teams, users } = world;
    const chat = 'a:1personal-bob-approver';
    expect((await teams.post(world.endpoint, teams.installation({ conversationType: 'personal', conversationId: chat, from: users.secondApprover }))).status).toBe(200);
    const { id } = await notified();
    const channelCard = await world.cardFor(id);
    const personal = await eventually(async () => teams.activities(chat).find((a) => JSON.stringify(a.activity).includes(id)), 'the 1:1 card');
    const data = cardOf(personal.activity).actions.find((a: any) => a.verb === 'approve').data;
    expect(data.cardId).not.toBe(cardOf(channelCard.activity).actions[0].data.cardId);
    const res = await teams.post(world.endpoint, teams.cardAction({ conversationId: chat, conversationType: 'personal', activityId: personal.id, from: users.secondApprover, verb: 'approve', data }));
    expect(JSON.stringify(res.json.value)).toContain('Exemption request: approved');
    expect((await world.app.waitForState(id, ['approved', 'applying', 'applied'])).decision.by).toBe(users.secondApprover.email);
    await eventually(async () => {
      const latest = teams.activities(CHANNEL).find((a) => a.id === channelCard.id)!;
      return latest.versions.length > 1 && !JSON.stringify(latest.activity).includes('Action.Execute') ? true : undefined;
    }, 'the channel card to show the decision');
  });
});
