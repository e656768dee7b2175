import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transition } from '../../lib/requests/lifecycle.js';
import type { AuditEntry, ExemptionRequest } from '../../lib/requests/model.js';
import type { CreateOutcome } from '../../lib/requests/ports/store.js';
import { fromRequestEntity, toRequestEntity } from '../../lib/store/table-entities.js';
import { TableRequestStore } from '../../lib/store/table-request-store.js';
import { startAzurite, type AzuriteHandle } from '../support/azurite.js';
import { sampleRequest } from '../support/sample-request.js';

let azurite: AzuriteHandle;
let requests: TableClient;
let keys: TableClient;

const created = (request: ExemptionRequest): AuditEntry => ({
  requestId: request.id, at: request.createdAt, actor: request.requestedBy, channel: 'api', action: 'created', to: 'received',
});

beforeAll(async () => {
  azurite = await startAzurite();
  const client = (name: string) => TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
  requests = client('requests');
  keys = client('keys');
  await requests.createTable();
  await keys.createTable();
});
afterAll(async () => azurite?.stop());

/** Every stored request (whatever its state) that carries this dedupe key. */
async function requestsWithKey(dedupeKey: string): Promise<ExemptionRequest[]> {
  const found: ExemptionRequest[] = [];
  for await (const entity of requests.listEntities<Record<string, unknown>>({ queryOptions: { filter: "RowKey eq 'request'" } })) {
    const request = fromRequestEntity(entity);
    if (request.dedupeKey === dedupeKey) found.push(request);
  }
  return found;
}

/** Leaves the key row as a crashed holder would: naming `requestId`. */
const strandKey = (dedupeKey: string, requestId: string) => keys.upsertEntity({ partitionKey: dedupeKey, rowKey: 'open', requestId }, 'Replace');

/** Several intakes of the same thing at once: exactly one creates, every other names the one. */
async function contend(store: TableRequestStore, dedupeKey: string, count: number): Promise<{ winner: ExemptionRequest; outcomes: CreateOutcome[] }> {
  const contenders = Array.from({ length: count }, () => sampleRequest({ dedupeKey }));
  const outcomes = await Promise.all(contenders.map((request) => store.create(request, created(request))));
  const winners = outcomes.flatMap((o) => (o.created ? [o.request.value] : []));
  expect(winners).toHaveLength(1);
  const winner = winners[0]!;
  for (const outcome of outcomes) expect(outcome.created ? outcome.request.value.id : outcome.existing.id).toBe(winner.id);
  expect((await requestsWithKey(dedupeKey)).filter((r) => r.state === 'received').map((r) => r.id)).toEqual([winner.id]);
  expect((await keys.getEntity<{ requestId: string }>(dedupeKey, 'open')).requestId).toBe(winner.id);
  return { winner, outcomes };
}

describe('the dedupe key of open requests', () => {
  it('is taken over, by exactly one of several contenders, when its request closed without releasing it', async () => {
    const store = new TableRequestStore(requests, keys);
    const first = sampleRequest({ dedupeKey: 'closed-holder' });
    const stored = await store.create(first, created(first));
    if (!stored.created) throw new Error('expected create');
    const rejected = transition(first, { to: 'rejected', actor: 'sec@contoso.com', channel: 'review-page', at: new Date() });
    await store.update(rejected.request, stored.request.etag, [rejected.audit]);
    await strandKey('closed-holder', first.id); // as if the release after the update had crashed
    const { winner } = await contend(store, 'closed-holder', 8);
    expect(winner.id).not.toBe(first.id);
  });

  it('is taken over, by exactly one of several contenders, when its request was never written', async () => {
    const store = new TableRequestStore(requests, keys, { staleAfterMs: 200, pollMs: 20 });
    await strandKey('never-written', 'ghost00000000000000');
    await contend(store, 'never-written', 8);
  });

  it('is not taken from a holder between its two writes: the contender waits for the holder\'s row', async () => {
    const holder = sampleRequest({ dedupeKey: 'slow-holder' });
    await strandKey('slow-holder', holder.id);
    let sawMissing!: () => void;
    const missingSeen = new Promise<void>((resolve) => (sawMissing = resolve));
    // The contender's reads go through this client; we learn when it has looked and found no row yet.
    const watched = new Proxy(requests, {
      get(target, property, receiver) {
        if (property !== 'getEntity') return Reflect.get(target, property, receiver);
        return async (...args: Parameters<TableClient['getEntity']>) => {
          try {
            return await target.getEntity(...args);
          } catch (error) {
            if (args[0] === holder.id) sawMissing();
            throw error;
          }
        };
      },
    });
    const store = new TableRequestStore(watched, keys, { staleAfterMs: 60_000, pollMs: 20 });
    const contender = sampleRequest({ dedupeKey: 'slow-holder' });
    const outcome = store.create(contender, created(contender));
    await missingSeen;
    await requests.createEntity(toRequestEntity(holder)); // the holder's second write lands
    expect(await outcome).toEqual({ created: false, existing: holder });
    expect((await requestsWithKey('slow-holder')).map((r) => r.id)).toEqual([holder.id]);
  });

  it('a holder that paused past the wait and lost its key withdraws its own request', async () => {
    let reachedWrite!: () => void;
    const atWrite = new Promise<void>((resolve) => (reachedWrite = resolve));
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    // The slow holder stops right before writing its request, after it has taken the key.
    const paused = new Proxy(requests, {
      get(target, property, receiver) {
        if (property !== 'submitTransaction') return Reflect.get(target, property, receiver);
        return async (...args: Parameters<TableClient['submitTransaction']>) => {
          if (args[0][0]?.[0] === 'create') {
            reachedWrite();
            await resumed;
          }
          return target.submitTransaction(...args);
        };
      },
    });
    const slowStore = new TableRequestStore(paused, keys, { staleAfterMs: 100, pollMs: 20 });
    const quickStore = new TableRequestStore(requests, keys, { staleAfterMs: 100, pollMs: 20 });
    const slow = sampleRequest({ dedupeKey: 'paused-holder' });
    const quick = sampleRequest({ dedupeKey: 'paused-holder' });
    const slowOutcome = slowStore.create(slow, created(slow));
    await atWrite;
    const quickOutcome = await quickStore.create(quick, created(quick));
    expect(quickOutcome.created).toBe(true);
    resume();
    expect(await slowOutcome).toEqual({ created: false, existing: quick });
    expect((await requestsWithKey('paused-holder')).map((r) => r.id)).toEqual([quick.id]);
    expect(await quickStore.auditTrail(slow.id)).toEqual([]);
  });
});
