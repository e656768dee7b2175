import { channelFor, hasManagementGroups, type TeamsChannelMap } from '../config/teams-settings.js';
import type { ManagementGroupAncestry } from './management-group-ancestry.js';

/** The channel a subscription's cards go to; undefined = no channel card. */
export type ChannelRouter = (subscriptionId: string) => Promise<string | undefined>;

/**
 * Resource Graph is asked only when the map names management groups and the subscription has no entry
 * of its own. When it cannot be read, the card goes to the default channel (with a warning) rather than
 * waiting: a card is only a notice plus buttons that enforce the same approver rules wherever they are
 * shown, and a missing Reader role or a lasting outage would otherwise send every card to the poison
 * queue.
 */
export function channelRouter(map: TeamsChannelMap, ancestry: () => Promise<ManagementGroupAncestry>, warn: (message: string) => void): ChannelRouter {
  if (!hasManagementGroups(map)) return async (subscriptionId) => channelFor(map, subscriptionId);
  return async (subscriptionId) => {
    if (Object.hasOwn(map.subscriptions, subscriptionId.toLowerCase())) return channelFor(map, subscriptionId);
    let ancestors: readonly string[];
    try {
      ancestors = await (await ancestry()).ancestorsOf(subscriptionId);
    } catch (error) {
      warn(`Teams: management groups of subscription ${subscriptionId} could not be read from Resource Graph (${String((error as Error)?.message ?? error).slice(0, 300)}); its card goes to the default channel`);
      return channelFor(map, subscriptionId);
    }
    return channelFor(map, subscriptionId, ancestors);
  };
}
