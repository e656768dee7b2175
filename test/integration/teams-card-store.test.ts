import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardBusyError, CLAIM_LEASE_MS, TeamsCardStore } from '../../lib/teams/card-store.js';
import { startAzurite, type AzuriteHandle } from '../support/azurite.js';

let azurite: AzuriteHandle;
let store: TeamsCardStore;
beforeAll(async () => {
  azurite = await startAzurite();
  const table = TableClient.fromConnectionString(azurite.connectionString, 'teamscards', { allowInsecureConnection: true });
  await table.createTable();
  store = new TeamsCardStore(table);
});
afterAll(async () => azurite?.stop());

const CHANNEL = '19:cards@thread.tacv2';
const T0 = new Date('2026-12-01T10:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
let n = 0;
const card = (cardId: string) => ({ requestId: `req-${n}`, conversationId: CHANNEL, serviceUrl: 'https://smba.example/teams/', cardId, reviewed: 'digest' });

describe('claiming a card before posting it', () => {
  it('lets exactly one of two simultaneous deliveries post; the other is told to retry', async () => {
    n++;
    const results = await Promise.allSettled([store.claim(card('a'), T0), store.claim(card('b'), T0)]);
    const won = results.filter((r) => r.status === 'fulfilled' && r.value.ours);
    const busy = results.filter((r) => r.status === 'rejected' && r.reason instanceof CardBusyError);
    expect([won.length, busy.length]).toEqual([1, 1]);
  });

  it('a failed post releases the claim: the next delivery posts the same card at once', async () => {
    n++;
    const first = await store.claim(card('first'), T0);
    await store.release(first.card);
    const retry = await store.claim(card('second'), later(1_000));
    expect(retry).toMatchObject({ ours: true, card: { cardId: 'first', reviewed: 'digest' } });
  });

  it('a claim whose holder went silent is taken over after the lease, not before', async () => {
    n++;
    await store.claim(card('silent'), T0);
    await expect(store.claim(card('x'), later(CLAIM_LEASE_MS - 1))).rejects.toBeInstanceOf(CardBusyError);
    expect(await store.claim(card('x'), later(CLAIM_LEASE_MS))).toMatchObject({ ours: true, card: { cardId: 'silent' } });
  });

  it('a posted card is never claimed again', async () => {
    n++;
    const { card: claimed } = await store.claim(card('posted'), T0);
    await store.sent(claimed, '1700000000000');
    expect(await store.claim(card('again'), later(10 * CLAIM_LEASE_MS))).toEqual({ ours: false, card: { ...claimed, activityId: '1700000000000' } });
  });
});
