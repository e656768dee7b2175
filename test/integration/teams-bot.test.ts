import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printHostLogOnFailure } from '../support/app-under-test.js';
import { CHANNEL, startTeamsWorld, type TeamsWorld } from '../sim/teams/harness.js';

let world: TeamsWorld;
printHostLogOnFailure(() => world?.app);

beforeAll(async () => {
  world = await startTeamsWorld();
});
afterAll(async () => world?.close());

describe('POST /api/messages: the Teams SDK behind the Functions host', () => {
  it('installing the app in a channel stores the conversation reference', async () => {
    const { teams, users } = world;
    const res = await teams.post(world.endpoint, teams.installation({ conversationType: 'channel', conversationId: CHANNEL, from: users.admin, teamId: '19:teamgeneral0123@thread.tacv2' }));
    expect(res.status).toBe(200);
    const row = await world.conversationRow('channel', CHANNEL);
    expect(row).toMatchObject({ conversationId: CHANNEL, serviceUrl: teams.serviceUrl, installedBy: users.admin.aadObjectId, tenantId: teams.tenantId });
  });

  it('installing the app personally stores the 1:1 conversation under the installer\'s object id', async () => {
    const { teams, users } = world;
    const res = await teams.post(world.endpoint, teams.installation({ conversationType: 'personal', conversationId: 'a:1personalchat-approver', from: users.approver }));
    expect(res.status).toBe(200);
    expect(await world.conversationRow('personal', users.approver.aadObjectId)).toMatchObject({ conversationId: 'a:1personalchat-approver', serviceUrl: teams.serviceUrl });
    // Found again by the e-mail approvers are named by, as Teams' member record gave it.
    expect(teams.calls.some((c) => c.method === 'GET' && decodeURIComponent(c.path).endsWith(`/members/${users.approver.id}`) && c.status === 200)).toBe(true);
  });

  it('removing the app from a channel forgets the reference', async () => {
    const { teams, users } = world;
    const channel = '19:removedlater@thread.tacv2';
    await teams.post(world.endpoint, teams.installation({ conversationType: 'channel', conversationId: channel, from: users.admin }));
    expect(await world.conversationRow('channel', channel)).toBeDefined();
    const res = await teams.post(world.endpoint, teams.installation({ conversationType: 'channel', conversationId: channel, from: users.admin, action: 'remove' }));
    expect(res.status).toBe(200);
    expect(await world.conversationRow('channel', channel)).toBeUndefined();
  });

  it.each([
    '19:x@thread.tacv2/../../v3/conversations/19:other@thread.tacv2',
    '19:x@thread.tacv2?evil=1',
    '19:x%2F..@thread.tacv2',
  ])('a signed installation whose conversation id could leave its URL segment (%s) is not stored', async (channel) => {
    const { teams, users } = world;
    const before = await world.storedConversations();
    const res = await teams.post(world.endpoint, teams.installation({ conversationType: 'channel', conversationId: channel, from: users.admin }));
    expect(res.status).toBe(200);
    expect(await world.storedConversations()).toEqual(before);
  });

  it.each(['missing', 'expired', 'wrong-key', 'wrong-audience'] as const)('a %s JWT gets 401 and nothing is stored', async (flaw) => {
    const { teams, users } = world;
    const channel = `19:${flaw.replace('-', '')}channel@thread.tacv2`;
    const res = await teams.post(world.endpoint, teams.installation({ conversationType: 'channel', conversationId: channel, from: users.stranger }), flaw);
    expect(res.status).toBe(401);
    expect(await world.conversationRow('channel', channel)).toBeUndefined();
  });

  it('a token for another service URL than the activity names gets 401', async () => {
    const { teams, users } = world;
    const channel = '19:otherserviceurl@thread.tacv2';
    const activity = { ...teams.installation({ conversationType: 'channel', conversationId: channel, from: users.stranger }), serviceUrl: 'https://attacker.example/teams/' };
    const res = await teams.post(world.endpoint, activity);
    expect(res.status).toBe(401);
    expect(await world.conversationRow('channel', channel)).toBeUndefined();
  });
});
