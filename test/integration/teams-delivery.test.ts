import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { SEED } from '../sim/seed-ids.js';
import { CHANNEL, cardOf, startTeamsWorld, type TeamsWorld } from '../sim/teams/harness.js';
import { printHostLogOnFailure } from '../support/app-under-test.js';
import { notifiedRequest } from '../support/notified-request.js';
import { eventually } from '../support/review-flow.js';

let world: TeamsWorld;
printHostLogOnFailure(() => world?.app);

beforeAll(async () => {
  world = await startTeamsWorld();
  const { teams, users } = world;
  expect((await teams.post(world.endpoint, teams.installation({ conversationType: 'channel', conversationId: CHANNEL, from: users.admin }))).status).toBe(200);
});
afterAll(async () => world?.close());

const cardsOf = (id: string) => world.teams.activities(CHANNEL).filter((a) => JSON.stringify(a.activity).includes(id));

it('a Bot connector outage delays the card but never loses it, and the e-mail goes out regardless', async () => {
  world.teams.failConnector(3);
  const { id, mails } = await notifiedRequest(world.app, { resourceId: SEED.resources.storageProd, policyAssignmentId: SEED.assignments.mcsbProduction, policyDefinitionReferenceIds: [SEED.mcsbReferenceIds.secureTransfer] });
  expect(mails.length).toBeGreaterThan(0);
  await world.cardFor(id);
  expect(world.teams.calls.filter((c) => c.status === 503)).toHaveLength(3);
  expect(world.app.logs.some((line) => line.includes('[teamsWorker]') && line.includes('will retry'))).toBe(true);
  expect(cardsOf(id)).toHaveLength(1);
  expect(await world.app.queuedMessages(`${STORAGE_NAMES.teamsQueue}-poison`)).toBe(0);
});

it('a repeated "notified" event posts no second card', async () => {
  const { id } = await notifiedRequest(world.app, { resourceId: SEED.resources.storageData, policyAssignmentId: SEED.assignments.mcsbProduction, policyDefinitionReferenceIds: [SEED.mcsbReferenceIds.secureTransfer] });
  await world.cardFor(id);
  await new QueueClient(world.app.azurite.connectionString, STORAGE_NAMES.teamsQueue).sendMessage(JSON.stringify({ kind: 'request-event', requestId: id, event: 'notified' }));
  await eventually(async () => (world.app.logs.some((l) => l.includes(`request ${id} (notified): 0 card(s) sent, 1 already there`)) ? true : undefined), 'the repeated event to be handled');
  expect(cardsOf(id)).toHaveLength(1);
});

it('an approval that Azure refuses replaces the card with "failed" and the ARM error', async () => {
  world.app.sim.faults.add({ operationId: 'PolicyExemptions_CreateOrUpdate', kind: 'error', status: 403, code: 'AuthorizationFailed', message: 'The client does not have authorization to perform action policyAssignments/exempt/action', times: 20 });
  try {
    const { id } = await notifiedRequest(world.app, { resourceId: SEED.resources.vmProd, policyAssignmentId: SEED.assignments.mcsbProduction, policyDefinitionReferenceIds: [SEED.mcsbReferenceIds.secureTransfer] });
    const sent = await world.cardFor(id);
    const data = cardOf(sent.activity).actions.find((a: any) => a.verb === 'approve').data;
    const click = await world.teams.post(world.endpoint, world.teams.cardAction({ conversationId: CHANNEL, activityId: sent.id, from: world.users.approver, verb: 'approve', data }));
    expect(JSON.stringify(click.json.value)).toContain('Exemption request: approved');
    expect((await world.app.waitForState(id, ['applied', 'failed'])).state).toBe('failed');
    const updated = await eventually(async () => {
      const latest = world.teams.activities(CHANNEL).find((a) => a.id === sent.id)!;
      return JSON.stringify(latest.activity).includes('creating the exemptions failed') ? latest : undefined;
    }, 'the card to say failed');
    expect(JSON.stringify(updated.activity)).toContain('403 AuthorizationFailed');
  } finally {
    world.app.sim.faults.clear();
  }
});

it('the sweep\'s events replace the card in place: expiring (with the threshold), then revoked (with what the sweep saw)', async () => {
  const { id } = await notifiedRequest(world.app, { resourceId: SEED.resources.storageProd, policyAssignmentId: SEED.assignments.mcsbProduction, policyDefinitionReferenceIds: [SEED.mcsbReferenceIds.jit] });
  const sent = await world.cardFor(id);
  const data = cardOf(sent.activity).actions.find((a: any) => a.verb === 'approve').data;
  await world.teams.post(world.endpoint, world.teams.cardAction({ conversationId: CHANNEL, activityId: sent.id, from: world.users.approver, verb: 'approve', data }));
  await world.app.waitForState(id, ['applied']);
  const queue = new QueueClient(world.app.azurite.connectionString, STORAGE_NAMES.teamsQueue);
  const cardSays = (text: string) => eventually(async () => {
    const latest = world.teams.activities(CHANNEL).find((a) => a.id === sent.id)!;
    return JSON.stringify(latest.activity).includes(text) ? latest : undefined;
  }, `the card to say ${text}`);
  // The applied event is queued after the state is stored: let it land first, or it would replace the
  // expiring card below (as it should: here no sweep moved the request on, so its state is still applied).
  await cardSays('Exemption request: applied');
  // What FanOutSweepNotices enqueues (see its unit tests).
  await queue.sendMessage(JSON.stringify({ kind: 'request-event', requestId: id, event: 'expiring', thresholdDays: 7 }));
  const expiring = await cardSays('Exemption: expiring soon');
  expect(JSON.stringify(expiring.activity)).toContain('Expires within 7 day(s).');
  await queue.sendMessage(JSON.stringify({ kind: 'request-event', requestId: id, event: 'revoked', detail: 'the exemption was deleted outside the broker' }));
  const revoked = await cardSays('gone from Azure');
  expect(JSON.stringify(revoked.activity)).toContain('the exemption was deleted outside the broker');
  expect(world.teams.activities(CHANNEL).filter((a) => JSON.stringify(a.activity).includes(id))).toHaveLength(1);
});
