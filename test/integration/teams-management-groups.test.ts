// TEAMS_CHANNEL_MAP by management group: the app asks Resource Graph (the simulated tenant's, over real
// HTTPS) for each subscription's management group ancestors, and the card goes to the subscription's own
// channel, else the nearest mapped group's, else the default.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SEED } from '../sim/seed-ids.js';
import { startTeamsWorld, type TeamsWorld } from '../sim/teams/harness.js';
import { printHostLogOnFailure } from '../support/app-under-test.js';
import { notifiedRequest } from '../support/notified-request.js';
import { eventually } from '../support/review-flow.js';

const SUBSCRIPTION_CHANNEL = '19:productiononly0123456789@thread.tacv2';
const CONTOSO_CHANNEL = '19:contosogroup0123456789@thread.tacv2';
const DEFAULT_CHANNEL = '19:everythingelse0123456789@thread.tacv2';
const CHANNELS = [SUBSCRIPTION_CHANNEL, CONTOSO_CHANNEL, DEFAULT_CHANNEL];
const MCSB = SEED.mcsbReferenceIds;

async function install(world: TeamsWorld): Promise<void> {
  for (const conversationId of CHANNELS) {
    const res = await world.teams.post(world.endpoint, world.teams.installation({ conversationType: 'channel', conversationId, from: world.users.admin }));
    expect(res.status).toBe(200);
  }
}

/** The channels that got a card for the request (waits for the first). */
async function channelsWithCard(world: TeamsWorld, requestId: string): Promise<string[]> {
  const holding = () => CHANNELS.filter((c) => world.teams.activities(c).some((a) => JSON.stringify(a.activity).includes(requestId)));
  return eventually(async () => (holding().length > 0 ? holding() : undefined), `a card for ${requestId}`);
}

const graphQueries = (world: TeamsWorld) => world.app.sim.requests.filter((r) => r.operationId === 'Resources');

describe('a map of subscriptions and management groups', () => {
  let world: TeamsWorld;
  printHostLogOnFailure(() => world?.app);
  beforeAll(async () => {
    world = await startTeamsWorld({
      TEAMS_CHANNEL_MAP: JSON.stringify({
        subscriptions: { [SEED.subscriptions.production]: SUBSCRIPTION_CHANNEL },
        managementGroups: { [SEED.managementGroup]: CONTOSO_CHANNEL },
        default: DEFAULT_CHANNEL,
      }),
    });
    await install(world);
  });
  afterAll(async () => world?.close());

  it('sends a request in a subscription under contoso to contoso\'s channel, asking Resource Graph once for all cards', async () => {
    const first = await notifiedRequest(world.app, { resourceId: SEED.resources.storageShared, policyAssignmentId: SEED.assignments.mcsbShared, policyDefinitionReferenceIds: [MCSB.secureTransfer] });
    expect(await channelsWithCard(world, first.id)).toEqual([CONTOSO_CHANNEL]);
    const second = await notifiedRequest(world.app, { resourceId: SEED.resources.storageRestricted, policyAssignmentId: SEED.assignments.mcsbShared, policyDefinitionReferenceIds: [MCSB.secureTransfer] });
    expect(await channelsWithCard(world, second.id)).toEqual([CONTOSO_CHANNEL]);

    const queries = graphQueries(world);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({ status: 200, apiVersion: '2024-04-01' });
    expect((queries[0]!.body as { query: string }).query).toMatch(/^resourcecontainers \| where type =~ 'microsoft.resources\/subscriptions'/);
    expect(world.app.sim.violations).toEqual([]);
  });

  it('lets the subscription\'s own entry win over its management group\'s', async () => {
    const { id } = await notifiedRequest(world.app, { resourceId: SEED.resources.storageProd, policyAssignmentId: SEED.assignments.mcsbProduction, policyDefinitionReferenceIds: [MCSB.secureTransfer] });
    expect(await channelsWithCard(world, id)).toEqual([SUBSCRIPTION_CHANNEL]);
  });
});

describe('a map whose management groups hold none of the subscription\'s ancestors', () => {
  let world: TeamsWorld;
  printHostLogOnFailure(() => world?.app);
  beforeAll(async () => {
    world = await startTeamsWorld({
      TEAMS_CHANNEL_MAP: JSON.stringify({ managementGroups: { finance: CONTOSO_CHANNEL }, default: DEFAULT_CHANNEL }),
    });
    await install(world);
  });
  afterAll(async () => world?.close());

  it('sends the card to the default channel when Resource Graph cannot be read, with a warning, and asks again for the next card', async () => {
    world.app.sim.faults.add({ operationId: 'Resources', times: 1, kind: 'error', status: 403, code: 'AuthorizationFailed' });
    // The host runs in this process and logs its warnings to the console.
    const warn = vi.spyOn(console, 'warn');
    try {
      const { id } = await notifiedRequest(world.app, { resourceId: SEED.resources.storageProd, policyAssignmentId: SEED.assignments.mcsbProduction, policyDefinitionReferenceIds: [MCSB.secureTransfer] });
      expect(await channelsWithCard(world, id)).toEqual([DEFAULT_CHANNEL]);
      const warnings = warn.mock.calls.map((c) => String(c[0]));
      expect(warnings.some((w) => w.includes('could not be read from Resource Graph') && w.includes(SEED.subscriptions.production))).toBe(true);
    } finally {
      warn.mockRestore();
    }
    expect(graphQueries(world).map((q) => q.status)).toEqual([403]);
  });

  it('sends a subscription in no mapped group to the default channel', async () => {
    const { id } = await notifiedRequest(world.app, { resourceId: SEED.resources.storageData, policyAssignmentId: SEED.assignments.mcsbProduction, policyDefinitionReferenceIds: [MCSB.secureTransfer] });
    expect(await channelsWithCard(world, id)).toEqual([DEFAULT_CHANNEL]);
    // Read this time (the failure was not cached), and the subscription's ancestors are contoso and the root.
    expect(graphQueries(world).map((q) => q.status)).toEqual([403, 200]);
    expect(world.teams.activities(CONTOSO_CHANNEL)).toEqual([]);
  });
});
