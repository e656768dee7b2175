import type { AdaptiveCardActionCardResponse, AdaptiveCardActionMessageResponse, Client as ApiClient } from '@microsoft/teams.api';
import { zod } from '../core/lazy-zod.js';
import { decide, standing, type DecideSettings, type Refusal } from '../requests/decision-service.js';
import { sameIdentity } from '../requests/identity.js';
import { EXEMPTION_CATEGORIES } from '../requests/model.js';
import type { RequestPorts } from '../requests/ports.js';
import { REQUEST_LIMITS } from '../requests/request-size.js';
import type { TeamsCardStore } from './card-store.js';
import { statusCard, VERBS } from './review-card.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function clickSchema() {
  const z = zod();
  return z.object({
    from: z.object({ id: z.string().min(1).max(200), aadObjectId: z.string().regex(GUID) }),
    conversation: z.object({ id: z.string().min(1).max(500) }),
    value: z.object({
      action: z.object({
        type: z.literal('Action.Execute'),
        verb: z.enum(VERBS),
        // The card's own data plus its inputs, merged by the client.
        data: z.object({
          requestId: z.string().min(1).max(64),
          cardId: z.string().regex(GUID),
          category: z.enum(EXEMPTION_CATEGORIES).optional(),
          expiresOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)').optional(),
          comment: z.string().max(REQUEST_LIMITS.commentLength).optional(),
        }),
      }),
    }),
  });
}

export interface CardActionDeps {
  readonly ports: Pick<RequestPorts, 'clock' | 'store' | 'notifier' | 'applyQueue' | 'warn'>;
  readonly settings: DecideSettings;
  readonly cards: TeamsCardStore;
}

/** The invoke answers used here: replace the card, or say something and leave it. */
export type ActionResponse = AdaptiveCardActionCardResponse | AdaptiveCardActionMessageResponse;

const say = (text: string): ActionResponse => ({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text });

/**
 * A click on Approve or Reject. Who clicked comes from Teams (the SDK has checked the token): the
 * activity's Entra object id, whose UPN and e-mail the connector's member record gives. Either must be an
 * approver and neither the requester. The card's id is the single-use credential, so the same card
 * decides at most once, however often the invoke arrives.
 */
export async function onCardAction(deps: CardActionDeps, activity: unknown, connector: ApiClient): Promise<ActionResponse> {
  const parsed = clickSchema().safeParse(activity);
  if (!parsed.success) return say('This card action could not be read. Nothing was changed.');
  const { from, value: { action } } = parsed.data;
  const { requestId, cardId, ...choice } = action.data;
  const conversation = { id: threadRoot(parsed.data.conversation.id) };

  const card = await deps.cards.get(requestId, conversation.id);
  if (!card || card.cardId !== cardId) return say('This card was not sent here by the exemption broker. Nothing was changed.');

  let member: { aadObjectId?: string; email?: string; userPrincipalName?: string };
  try {
    member = await connector.conversations.members(conversation.id).getById(from.id);
  } catch (error) {
    deps.ports.warn?.(`Teams: could not read member ${from.id} of ${conversation.id}: ${String((error as Error)?.message ?? error)}`);
    return say('Teams could not tell us who you are just now. Nothing was decided; try again in a minute.');
  }
  if (!member.aadObjectId || member.aadObjectId.toLowerCase() !== from.aadObjectId.toLowerCase()) {
    return say('Teams could not confirm who you are. Nothing was changed.');
  }
  const identities = [member.email, member.userPrincipalName].filter((v): v is string => typeof v === 'string' && v.includes('@'));
  const stored = await deps.ports.store.get(requestId);
  if (!stored) return say(refusalText({ code: 'not-found' }));
  const request = stored.value;
  if (identities.length === 0) return say(refusalText({ code: 'not-an-approver', approver: from.aadObjectId }));
  // Any of the clicker's names being the requester's is enough to refuse: separation of duties.
  if (identities.some((id) => sameIdentity(id, request.requestedBy))) return say(refusalText({ code: 'own-request' }));
  const approver = identities.find((id) => standing(request, id, deps.settings.fallbackApprovers) === undefined) ?? identities[0]!;

  const result = await decide(deps.ports, deps.settings, {
    requestId, approver, channel: 'teams', credentialId: `teams-card:${cardId}`, outcome: action.verb, ...definedOnly(choice),
    // Kept with the card when it was sent, never taken from the click.
    ...(card.reviewed ? { reviewed: card.reviewed } : {}),
  });
  if (result.kind === 'refused') return say(refusalText(result.reason));
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: statusCard(result.request) };
}

/** A click in a channel names the message's thread ("<channel id>;messageid=<id>"); cards are kept by channel. */
function threadRoot(conversationId: string): string {
  return /^([^;]+);messageid=\d+$/.exec(conversationId)?.[1] ?? conversationId;
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}

export function refusalText(reason: Refusal): string {
  switch (reason.code) {
    case 'not-found': return 'This request no longer exists. Nothing was changed.';
    case 'own-request': return 'You asked for this exemption, so someone else must decide it. Nothing was changed.';
    case 'not-an-approver': return 'You are not an approver for this subscription. Nothing was changed.';
    case 'credential-used': return 'A decision was already made with this card. Nothing was changed.';
    case 'not-decidable': return `This request is already ${reason.state}. Nothing was changed.`;
    case 'changed-since-review': return 'This request changed since the card was sent. Nothing was changed; review it again.';
    case 'invalid': return `That expiry date cannot be used: ${reason.message}. Nothing was changed.`;
  }
}
