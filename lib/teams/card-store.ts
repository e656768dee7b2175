import { createHash } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';

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

/**
 * Cards by request (partition) and conversation (row, hashed: conversation ids carry characters a row
 * key may not). Claiming the row before sending is what keeps a repeated `notified` event from posting
 * a second card.
 */
export class TeamsCardStore {
  constructor(private readonly table: TableClient) {}

  /** The card of this request in this conversation: the stored one, or a new claim with `cardId`. */
  async claim(card: Omit<SentCard, 'activityId'>): Promise<SentCard> {
    try {
      await this.table.createEntity({ partitionKey: card.requestId, rowKey: rowKey(card.conversationId), ...card });
      return card;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
      return (await this.get(card.requestId, card.conversationId))!;
    }
  }

  async sent(card: SentCard, activityId: string): Promise<void> {
    await this.table.updateEntity({ partitionKey: card.requestId, rowKey: rowKey(card.conversationId), activityId }, 'Merge');
  }

  async get(requestId: string, conversationId: string): Promise<SentCard | undefined> {
    try {
      return toCard(await this.table.getEntity<Record<string, unknown>>(requestId, rowKey(conversationId)));
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  async ofRequest(requestId: string): Promise<SentCard[]> {
    const cards: SentCard[] = [];
    const filter = `PartitionKey eq '${requestId.replace(/'/g, "''")}'`;
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
