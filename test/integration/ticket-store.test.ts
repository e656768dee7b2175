import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableTicketStore } from '../../lib/tickets/table-ticket-store.js';
import { startAzurite, type AzuriteHandle } from '../support/azurite.js';

let azurite: AzuriteHandle;
let tableNumber = 0;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => azurite?.stop());

async function freshStore(): Promise<{ store: TableTicketStore; table: TableClient }> {
  tableNumber += 1;
  const table = TableClient.fromConnectionString(azurite.connectionString, `ticketlinks${tableNumber}`, { allowInsecureConnection: true });
  await table.createTable();
  return { store: new TableTicketStore(table), table };
}

const T0 = new Date('2026-12-02T12:00:00Z');
const later = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);

describe('the ticket store on Table Storage', () => {
  it('of many concurrent claims of one delivery, exactly one wins', async () => {
    const { store } = await freshStore();
    const claims = await Promise.all(Array.from({ length: 12 }, () => store.claimDelivery('jira', 'd-1', later(24), T0)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.claimDelivery('standard', 'd-1', later(24), T0)).toBe(true);
  });

  it('forgets a released claim and, once expired, lets exactly one late contender take it over', async () => {
    const { store } = await freshStore();
    expect(await store.claimDelivery('jira', 'd-2', later(24), T0)).toBe(true);
    await store.releaseDelivery('jira', 'd-2');
    expect(await store.claimDelivery('jira', 'd-2', later(24), T0)).toBe(true);
    expect(await store.claimDelivery('jira', 'd-2', later(48), later(23))).toBe(false);
    const late = await Promise.all(Array.from({ length: 8 }, () => store.claimDelivery('jira', 'd-2', later(48), later(25))));
    expect(late.filter(Boolean)).toHaveLength(1);
  });

  it('links a ticket to one request both ways; a second request for the same ticket gets the first link', async () => {
    const { store } = await freshStore();
    const first = { source: 'servicenow' as const, key: 'RITM1', requestId: 'req-1', sysId: 'f'.repeat(32), table: 'sc_req_item' };
    expect(await store.link(first)).toEqual(first);
    expect(await store.link({ ...first, requestId: 'req-2' })).toEqual(first);
    expect(await store.byTicket('servicenow', 'RITM1')).toEqual(first);
    expect(await store.byRequest('req-1')).toEqual(first);
    expect(await store.byRequest('req-2')).toBeUndefined();
    expect(await store.byTicket('jira', 'RITM1')).toBeUndefined();
  });

  it('remembers which notes were written', async () => {
    const { store } = await freshStore();
    expect(await store.wasSent('req-1', 'failed-2026-12-02T12:00:00.000Z')).toBe(false);
    await store.markSent('req-1', 'failed-2026-12-02T12:00:00.000Z');
    await store.markSent('req-1', 'failed-2026-12-02T12:00:00.000Z');
    expect(await store.wasSent('req-1', 'failed-2026-12-02T12:00:00.000Z')).toBe(true);
    expect(await store.wasSent('req-1', 'failed-2026-12-03T12:00:00.000Z')).toBe(false);
  });
});
