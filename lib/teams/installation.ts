import { CHANNEL_ID } from '../config/teams-settings.js';
import { zod } from '../core/lazy-zod.js';
import type { Client as ApiClient } from '@microsoft/teams.api';
import type { TeamsConversationStore } from './conversation-store.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A 1:1 conversation id with the bot ("a:…"); used in connector URLs unencoded, so only this shape. */
export const PERSONAL_ID = /^a:[A-Za-z0-9_-]{1,400}$/;

function installationSchema() {
  const z = zod();
  return z.object({
    serviceUrl: z.url({ protocol: /^https$/ }),
    from: z.object({ id: z.string().min(1).max(200), aadObjectId: z.string().regex(GUID) }),
    conversation: z.object({ id: z.string().max(500), conversationType: z.string().max(40) }),
    channelData: z.object({
      tenant: z.object({ id: z.string().regex(GUID) }).optional(),
      team: z.object({ id: z.string().max(500) }).optional(),
      settings: z.object({ selectedChannel: z.object({ id: z.string().max(500) }).optional() }).optional(),
    }).optional(),
  });
}

export type InstallOutcome = 'channel' | 'personal' | 'ignored';

/**
 * Teams tells a bot where it lives only when it is installed: keep the conversation reference. In a team,
 * both the team's conversation and the channel chosen at installation get the reference, so
 * TEAMS_CHANNEL_MAP may name either; in a personal scope it is kept under the installer's object id.
 */
export async function recordInstallation(store: TeamsConversationStore, activity: unknown, connector: ApiClient, now: Date): Promise<InstallOutcome> {
  const parsed = installationSchema().safeParse(activity);
  if (!parsed.success) return 'ignored';
  const a = parsed.data;
  const ref = {
    serviceUrl: a.serviceUrl,
    installedBy: a.from.aadObjectId.toLowerCase(),
    installedAt: now.toISOString(),
    ...(a.channelData?.tenant ? { tenantId: a.channelData.tenant.id } : {}),
    ...(a.channelData?.team ? { teamId: a.channelData.team.id } : {}),
  };
  if (a.conversation.conversationType === 'personal' && PERSONAL_ID.test(a.conversation.id)) {
    await store.save('personal', ref.installedBy, { ...ref, conversationId: a.conversation.id });
    // Approvers are named by e-mail; Teams' own member record (read as the bot) says which are this person's.
    const member = await connector.conversations.members(a.conversation.id).getById(a.from.id);
    if (member.aadObjectId?.toLowerCase() === ref.installedBy) {
      for (const address of new Set([member.email, member.userPrincipalName].filter((v): v is string => typeof v === 'string' && v.includes('@')))) {
        await store.saveIdentity(address, ref.installedBy);
      }
    }
    return 'personal';
  }
  if (a.conversation.conversationType !== 'channel') return 'ignored';
  const channels = new Set([a.conversation.id, a.channelData?.settings?.selectedChannel?.id].filter((id): id is string => !!id && CHANNEL_ID.test(id)));
  for (const id of channels) await store.save('channel', id, { ...ref, conversationId: id });
  return channels.size > 0 ? 'channel' : 'ignored';
}

/**
 * The app was removed from a team or a chat: forget where it was, so no card is sent into a conversation
 * the bot can no longer post to (the connector would refuse, and the queue would retry in vain).
 */
export async function recordRemoval(store: TeamsConversationStore, activity: unknown): Promise<InstallOutcome> {
  const parsed = installationSchema().safeParse(activity);
  if (!parsed.success) return 'ignored';
  const a = parsed.data;
  if (a.conversation.conversationType === 'personal') {
    await store.remove('personal', a.from.aadObjectId.toLowerCase());
    return 'personal';
  }
  if (a.conversation.conversationType !== 'channel') return 'ignored';
  for (const id of [a.conversation.id, a.channelData?.settings?.selectedChannel?.id]) if (id && CHANNEL_ID.test(id)) await store.remove('channel', id);
  return 'channel';
}
