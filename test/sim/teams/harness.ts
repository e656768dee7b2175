// The app under test with Teams on: the simulated Bot Framework started first, and the settings that make
// the app trust it (BOT_OPENID_METADATA_URL) and post cards for the production subscription to CHANNEL.
import { TableClient } from '@azure/data-tables';
import { STORAGE_NAMES } from '../../../lib/config/settings-catalog.js';
import { startAppUnderTest, type AppUnderTest } from '../../support/app-under-test.js';
import { eventually } from '../../support/review-flow.js';
import { SEED } from '../seed-ids.js';
import { trustSimCertificate } from '../tls.js';
import { startTeamsSim, type SentActivity, type TeamsSim, type TeamsUser } from './index.js';

export const CHANNEL = '19:securityreviews0123456789abcdef@thread.tacv2';

export interface TeamsWorld {
  readonly app: AppUnderTest;
  readonly teams: TeamsSim;
  readonly endpoint: string;
  readonly users: { approver: TeamsUser; secondApprover: TeamsUser; requester: TeamsUser; stranger: TeamsUser; admin: TeamsUser };
  /** The review card the channel got for a request. */
  cardFor(requestId: string): Promise<SentActivity>;
  conversationRow(kind: 'channel' | 'personal', key: string): Promise<Record<string, unknown> | undefined>;
  /** Every stored conversation reference, as "partition/conversation id". */
  storedConversations(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startTeamsWorld(extraEnv: Record<string, string> = {}): Promise<TeamsWorld> {
  const teams = await startTeamsSim({ botAppId: SEED.clientId, tenantId: SEED.tenantId });
  trustSimCertificate(teams.caCertPem);
  let app: AppUnderTest;
  try {
    app = await startAppUnderTest({
      BOT_APP_ID: SEED.clientId,
      BOT_TENANT_ID: SEED.tenantId,
      BOT_OPENID_METADATA_URL: teams.openIdMetadataUrl,
      TEAMS_CHANNEL_MAP: JSON.stringify({ subscriptions: { [SEED.subscriptions.production]: CHANNEL } }),
      ...extraEnv,
    });
  } catch (error) {
    await teams.close();
    throw error;
  }
  const contacts = SEED.contactEmails[SEED.subscriptions.production]!;
  const users = {
    approver: teams.addUser({ email: contacts[1]!, name: 'Alice Admin' }),
    secondApprover: teams.addUser({ email: contacts[2]!, name: 'Bob Approver' }),
    requester: teams.addUser({ email: 'dev.owner@contoso.com', name: 'Dev Owner' }),
    stranger: teams.addUser({ email: 'mallory@contoso.com', name: 'Mallory' }),
    admin: teams.addUser({ email: 'teams.admin@contoso.com', name: 'Teams Admin' }),
  };
  const conversations = TableClient.fromConnectionString(app.azurite.connectionString, STORAGE_NAMES.teamsConversationsTable, { allowInsecureConnection: true });
  return {
    app, teams, users,
    endpoint: `${app.baseUrl}/api/messages`,
    cardFor: (requestId) => eventually(async () => teams.activities(CHANNEL).find((a) => JSON.stringify(a.activity).includes(requestId)), `the card for ${requestId}`),
    async conversationRow(kind, key) {
      try {
        return await conversations.getEntity<Record<string, unknown>>(kind, key);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
    },
    async storedConversations() {
      const rows: string[] = [];
      for await (const e of conversations.listEntities<Record<string, unknown>>()) rows.push(`${e.partitionKey}/${String(e['conversationId'] ?? e['aadObjectId'])}`);
      return rows.sort();
    },
    async close() {
      await app.close();
      await teams.close();
    },
  };
}

/** The card JSON inside a sent activity. */
export function cardOf(activity: any): any {
  return activity?.attachments?.[0]?.content;
}

/** Every string in a card, walked, with the element type that holds it. */
export function textsIn(node: unknown, holder = 'card', out: Array<{ holder: string; text: string }> = []): Array<{ holder: string; text: string }> {
  if (typeof node === 'string') out.push({ holder, text: node });
  else if (Array.isArray(node)) for (const item of node) textsIn(item, holder, out);
  else if (node && typeof node === 'object') {
    const type = typeof (node as { type?: unknown }).type === 'string' ? (node as { type: string }).type : holder;
    for (const [k, v] of Object.entries(node)) textsIn(v, k === 'type' ? holder : type, out);
  }
  return out;
}
