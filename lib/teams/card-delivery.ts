import { randomUUID } from 'node:crypto';
import { MessageActivityInput, type Client as ApiClient } from '@microsoft/teams.api';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import type { Clock } from '../core/clock.js';
import type { RequestEventMessage } from '../notify/request-event.js';
import { isDecidable, latestExpiry } from '../requests/lifecycle.js';
import type { ExemptionRequest } from '../requests/model.js';
import type { RequestStore } from '../requests/ports/store.js';
import { reviewDigest } from '../requests/write-guard.js';
import type { SentCard, TeamsCardStore } from './card-store.js';
import type { ChannelRouter } from './channel-routing.js';
import type { ConversationRef, TeamsConversationStore } from './conversation-store.js';
import { reviewCard, statusCard } from './review-card.js';

export interface CardDeliveryDeps {
  readonly clock: Clock;
  readonly requests: RequestStore;
  readonly cards: TeamsCardStore;
  readonly conversations: TeamsConversationStore;
  readonly connector: (serviceUrl: string) => ApiClient;
  readonly channelOf: ChannelRouter;
  readonly maxExpiryDays: number;
  readonly warn: (message: string) => void;
}

/**
 * One request event for Teams. `notified` posts the review card to the request's channel, once per
 * request and conversation; every later event replaces the posted cards with the request's current
 * state. A connector failure throws, so the queue delivers the event again; what was already done is
 * remembered in the card table and not done twice.
 */
export async function deliverToTeams(deps: CardDeliveryDeps, message: RequestEventMessage): Promise<string> {
  const stored = await deps.requests.get(message.requestId);
  if (!stored) return 'request not found; nothing to show';
  const request = stored.value;
  if (message.event === 'notified') return postReviewCards(deps, request);
  const cards = (await deps.cards.ofRequest(request.id)).filter((c) => c.activityId);
  // The sweep's events say what it saw, even before (or without) the request's own state following.
  const seen = message.event === 'expiring' || message.event === 'expired' || message.event === 'revoked' || message.event === 'removed' ? message.event : request.state;
  const card = statusCard(request, detailOf(message), seen);
  for (const c of cards) await send(deps, c, card);
  return `${cards.length} card(s) updated (${message.event})`;
}

/** The mapped channel, and each approver who installed the app personally: one card in each. */
async function postReviewCards(deps: CardDeliveryDeps, request: ExemptionRequest): Promise<string> {
  const places: ConversationRef[] = [];
  const channelId = await deps.channelOf(request.subscriptionId);
  if (channelId) {
    const ref = await deps.conversations.find('channel', channelId);
    if (ref) places.push(ref);
    else deps.warn(`Teams: the app is not installed in channel ${channelId} (mapped for subscription ${request.subscriptionId}); no channel card was sent`);
  }
  for (const approver of request.approvers) {
    const ref = await deps.conversations.personalFor(approver);
    if (ref && !places.some((p) => p.conversationId === ref.conversationId)) places.push(ref);
  }
  let sent = 0;
  for (const ref of places) if (await postReviewCard(deps, request, ref)) sent++;
  return places.length === 0 ? 'no Teams conversation to post to' : `${sent} card(s) sent, ${places.length - sent} already there`;
}

async function postReviewCard(deps: CardDeliveryDeps, request: ExemptionRequest, ref: ConversationRef): Promise<boolean> {
  const now = deps.clock.now();
  const { card, ours } = await deps.cards.claim({
    requestId: request.id, conversationId: ref.conversationId, serviceUrl: ref.serviceUrl, cardId: randomUUID(), reviewed: reviewDigest(request.targets),
  }, now);
  if (!ours) return false;
  // Decided before the card went out (on the page): show where it stands, with nothing left to click.
  const content = isDecidable(request.state)
    ? reviewCard(request, card, { today: now.toISOString().slice(0, 10), maxExpiresOn: latestExpiry(now, deps.maxExpiryDays).toISOString() })
    : statusCard(request);
  try {
    await send(deps, card, content);
  } catch (error) {
    await deps.cards.release(card);
    throw error;
  }
  return true;
}

async function send(deps: CardDeliveryDeps, card: SentCard, content: IAdaptiveCard): Promise<void> {
  const activity = new MessageActivityInput().addCard('adaptive', content);
  const activities = deps.connector(card.serviceUrl).conversations.activities(card.conversationId);
  if (card.activityId) {
    await activities.update(card.activityId, activity);
    return;
  }
  const created = await activities.create(activity);
  await deps.cards.sent(card, created.id);
}

function detailOf(message: RequestEventMessage): string | undefined {
  if (message.event === 'expiring' && message.thresholdDays !== undefined) return `Expires within ${message.thresholdDays} day(s).`;
  if (message.event === 'revoked' && message.detail) return message.detail;
  return undefined;
}
