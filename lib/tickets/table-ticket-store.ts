import type { TableClient } from '@azure/data-tables';
import { isStatus } from '../store/open-keys.js';
import { claimRow } from '../store/row-claim.js';
import type { TicketSource } from './mapping.js';
import type { TicketLink, TicketStore } from './ticket-store.js';

const LINK_ROW = 'ticket';

interface LinkEntity {
  partitionKey: string;
  rowKey: string;
  source: string;
  key: string;
  requestId: string;
  url?: string;
  sysId?: string;
  table?: string;
}

/**
 * One table, three kinds of rows: `delivery-{source}` / {id} for deliveries acted on (with an expiry),
 * `ticket-{source}` / {key} → request, and {requestId} / `ticket` → ticket (plus `sent-…` markers for
 * outbound notes). Every "only once" is an insert that fails when the row exists, never a read then a write.
 */
export class TableTicketStore implements TicketStore {
  constructor(private readonly table: TableClient) {}

  async claimDelivery(source: TicketSource, deliveryId: string, expiresAt: Date, now: Date): Promise<boolean> {
    const row = { partitionKey: `delivery-${source}`, rowKey: deliveryId, expiresAt: expiresAt.toISOString() };
    return claimRow<{ expiresAt: string }>(this.table, row, (held) => Date.parse(held.expiresAt ?? '') > now.getTime());
  }

  async releaseDelivery(source: TicketSource, deliveryId: string): Promise<void> {
    await this.table.deleteEntity(`delivery-${source}`, deliveryId).catch(notFound);
  }

  async link(link: TicketLink): Promise<TicketLink> {
    const fields = { source: link.source, key: link.key, requestId: link.requestId, ...pick(link) };
    const won = await this.insert({ partitionKey: `ticket-${link.source}`, rowKey: link.key, ...fields });
    const winner = won ? link : (await this.byTicket(link.source, link.key))!;
    // Written after the ticket row, every time, so a link whose second write failed is completed by the retry.
    await this.table.upsertEntity({ partitionKey: winner.requestId, rowKey: LINK_ROW, source: winner.source, key: winner.key, requestId: winner.requestId, ...pick(winner) }, 'Replace');
    return winner;
  }

  async byTicket(source: TicketSource, key: string): Promise<TicketLink | undefined> {
    return linkFrom(await this.table.getEntity<LinkEntity>(`ticket-${source}`, key).catch(notFound));
  }

  async byRequest(requestId: string): Promise<TicketLink | undefined> {
    return linkFrom(await this.table.getEntity<LinkEntity>(requestId, LINK_ROW).catch(notFound));
  }

  async wasSent(requestId: string, marker: string): Promise<boolean> {
    return (await this.table.getEntity(requestId, sentRow(marker)).catch(notFound)) !== undefined;
  }

  async markSent(requestId: string, marker: string): Promise<void> {
    await this.insert({ partitionKey: requestId, rowKey: sentRow(marker) });
  }

  private async insert(entity: { partitionKey: string; rowKey: string; [k: string]: unknown }): Promise<boolean> {
    try {
      await this.table.createEntity(entity);
      return true;
    } catch (error) {
      if (isStatus(error, 409)) return false;
      throw error;
    }
  }
}

/** Row keys refuse "/", "\\", "#", "?" and control characters; a marker carries a timestamp's ":" and "." at most. */
function sentRow(marker: string): string {
  return `sent-${marker.replace(/[^A-Za-z0-9_.:-]/g, '_')}`;
}

function pick(link: TicketLink) {
  return {
    ...(link.url ? { url: link.url } : {}),
    ...(link.sysId ? { sysId: link.sysId } : {}),
    ...(link.table ? { table: link.table } : {}),
  };
}

function linkFrom(entity: LinkEntity | undefined): TicketLink | undefined {
  if (!entity) return undefined;
  return {
    source: entity.source as TicketSource, key: entity.key, requestId: entity.requestId,
    ...(entity.url ? { url: entity.url } : {}), ...(entity.sysId ? { sysId: entity.sysId } : {}), ...(entity.table ? { table: entity.table } : {}),
  };
}

function notFound(error: unknown): undefined {
  if (isStatus(error, 404)) return undefined;
  throw error;
}
