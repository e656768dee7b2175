import type { TokenCredential } from '@azure/core-auth';
import type { TableClient } from '@azure/data-tables';
import type { TeamsSettings } from '../config/teams-settings.js';
import type { Clock } from '../core/clock.js';
import type { RequestEventMessage } from '../notify/request-event.js';
import type { DecideSettings } from '../requests/decision-service.js';
import type { RequestPorts } from '../requests/ports.js';
import { onCardAction } from './card-action.js';
import { deliverToTeams } from './card-delivery.js';
import { TeamsCardStore } from './card-store.js';
import { channelRouter } from './channel-routing.js';
import { TeamsConversationStore } from './conversation-store.js';
import { recordInstallation, recordRemoval } from './installation.js';
import { ManagementGroupAncestry } from './management-group-ancestry.js';
import { createTeamsBot, type TeamsBot } from './teams-bot.js';

/** The Teams channel: the bot behind POST /api/messages, and the worker side that posts and updates cards. */
export interface TeamsChannel {
  readonly bot: TeamsBot;
  deliver(message: RequestEventMessage): Promise<string>;
}

export interface TeamsChannelInput {
  readonly teams: TeamsSettings;
  readonly decide: DecideSettings;
  readonly clock: Clock;
  readonly credential: TokenCredential;
  /** ARM's endpoint: Resource Graph is asked there for management group ancestry (only when the map names groups). */
  readonly armEndpoint: string;
  readonly conversationsTable: TableClient;
  readonly cardsTable: TableClient;
  readonly ports: () => Promise<RequestPorts>;
  readonly log: (level: 'warn' | 'error', message: string) => void;
}

export async function createTeamsChannel(input: TeamsChannelInput): Promise<TeamsChannel> {
  const conversations = new TeamsConversationStore(input.conversationsTable);
  const cards = new TeamsCardStore(input.cardsTable);
  const warn = (message: string) => input.log('warn', message);
  let ancestry: Promise<ManagementGroupAncestry> | undefined;
  // Built on the first card that needs it (the transport and the REST client load only then); a failed
  // build is forgotten so the next card tries again.
  const loadAncestry = () => (ancestry ??= (async () => {
    const [{ SweepArmTransport }, { ResourceGraph }] = await Promise.all([import('../sweep/arm-transport.js'), import('../sweep/sources/resource-graph.js')]);
    const graph = new ResourceGraph(new SweepArmTransport({ endpoint: input.armEndpoint, credential: input.credential }));
    return new ManagementGroupAncestry(graph, input.clock, warn);
  })().catch((error: unknown) => {
    ancestry = undefined;
    throw error;
  }));
  const channelOf = channelRouter(input.teams.channelMap, loadAncestry, warn);
  const bot = await createTeamsBot({
    settings: input.teams,
    log: input.log,
    token: async (scope) => {
      const token = await input.credential.getToken(scope);
      if (!token) throw new Error(`no token for ${scope}`);
      return token.token;
    },
    handlers: {
      installed: async (activity, connector) => {
        const outcome = await recordInstallation(conversations, activity, connector, input.clock.now());
        if (outcome === 'ignored') warn('Teams: an installation the app cannot post to (not a channel or personal scope, or malformed) was ignored');
      },
      removed: async (activity) => {
        await recordRemoval(conversations, activity);
      },
      cardAction: async (activity, connector) => onCardAction({ ports: { ...(await input.ports()), warn }, settings: input.decide, cards }, activity, connector),
    },
  });
  return {
    bot,
    async deliver(message) {
      const ports = await input.ports();
      return deliverToTeams({
        clock: input.clock, requests: ports.store, cards, conversations, connector: (url) => bot.connector(url),
        channelOf, maxExpiryDays: input.decide.maxExpiryDays, warn,
      }, message);
    },
  };
}
