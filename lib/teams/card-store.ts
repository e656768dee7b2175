import { createHash } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import { isStatus } from '../store/open-keys.js';

/** One review card: a request's card in one conversation. */
export interface SentCard {
  readonly requestId: string;
  readonly conversationId: string;
  readonly serviceUrl: string;
  /** The card's own id: the single-use credential a click on it carries into `decide`. */
  readonly cardId: string;
  /** reviewDigest of the targets the card shows: a click approves exactly those, as on the page. */
  readonly reviewed?: string;
  /** Set once the connector accepted the card; later events update this activity. */
  readonly activityId?: string;
}

/** Another delivery of the same event is posting this card right now; the queue tries again later. */
export class CardBusyError extends Error {
  constructor(requestId: string) {
    super(`another delivery is posting the card of request ${requestId}; retrying later`);
    this.name = 'CardBusyError';
  }
}

/**
 * How long a claim holds off other deliveries. A delivery that fails releases its claim; this only
 * matters when one stops dead between claiming and posting, and is well inside the queue's five tries
 * 30 s apart.
 */
export const CLAIM_LEASE_MS = 60_000;

/**
 * Cards by request (partition) and conversation (row, hashed: conversation ids carry characters a row
 * key may not). A delivery claims the row (ETag-guarded) before posting, so two deliveries of the same
 * `notified` event never both post.
 */
export class TeamsCardStore {
  constructor(private readonly table: TableClient) {}

  /**
   * `ours`: this delivery may post the card (a new claim, a released one, or one whose holder went
   * silent). Otherwise the card is already posted (it has an activityId), or CardBusyError is thrown.
   */
  async claim(card: Omit<SentCard, 'activityId'>, now: Date): Promise<{ card: SentCard; ours: boolean }> {
    const key = { partitionKey: card.requestId, rowKey: rowKey(card.conversationId) };
    try {
      await this.table.createEntity({ ...key, ...card, claimedAt: now.toISOString() });
      return { card, ours: true };
    } catch (error) {
      if (!isStatus(error, 409)) throw error;
    }
    const row = await this.table.getEntity<Record<string, unknown>>(key.partitionKey, key.rowKey);
    const existing = toCard(row);
    if (existing.activityId) return { card: existing, ours: false };
    const claimedAt = Date.parse(String(row['claimedAt'] ?? ''));
    if (Number.isFinite(claimedAt) && now.getTime() - claimedAt < CLAIM_LEASE_MS) throw new CardBusyError(card.requestId);
    try {
      await this.table.updateEntity({ ...key, claimedAt: now.toISOString() }, 'Merge', { etag: row.etag });
    } catch (error) {
      if (isStatus(error, 412)) throw new CardBusyError(card.requestId);
      throw error;
    }
    return { card: existing, ours: true };
  }

  /** The post failed: the next delivery may claim at once. */
  async release(card: SentCard): Promise<void> {
    await this.table.updateEntity({ partitionKey: card.requestId, rowKey: rowKey(card.conversationId), claimedAt: '' }, 'Merge');
  }

  async sent(card: SentCard, activityId: string): Promise<void> {
    await this.table.updateEntity({ partitionKey: card.requestId, rowKey: rowKey(card.conversationId), activityId }, 'Merge');
  }

  async get(requestId: string, conversationId: string): Promise<SentCard | undefined> {
    try {
      return toCard(await this.table.getEntity<Record<string, unknown>>(requestId, rowKey(conversationId)));
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async ofRequest(requestId: string): Promise<SentCard[]> {
    const cards: SentCard[] = [];
    const filter = odata`PartitionKey eq ${requestId}`;
    for await (const e of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) cards.push(toCard(e));
    return cards;
  }
}

function rowKey(conversationId: string): string {
  return createHash('sha256').update(conversationId).digest('hex');
}

function toCard(e: Record<string, unknown>): SentCard {
  return {
    requestId: String(e['requestId']), conversationId: String(e['conversationId']), serviceUrl: String(e['serviceUrl']), cardId: String(e['cardId']),
    ...(typeof e['reviewed'] === 'string' ? { reviewed: e['reviewed'] } : {}),
    ...(typeof e['activityId'] === 'string' ? { activityId: e['activityId'] } : {}),
  };
}
