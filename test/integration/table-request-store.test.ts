import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transition } from '../../lib/requests/lifecycle.js';
import type { AuditEntry } from '../../lib/requests/model.js';
import { ConcurrencyError, TokenAlreadyUsedError } from '../../lib/requests/ports/store.js';
import { TableRequestStore } from '../../lib/store/table-request-store.js';
import { startAzurite, type AzuriteHandle } from '../support/azurite.js';
import { sampleRequest } from '../support/sample-request.js';
import { SETTINGS } from '../../lib/config/settings-catalog.js';
import { worstCaseRequest } from '../../lib/requests/request-size.js';
import { DocumentTooLargeError } from '../../lib/store/table-entities.js';

let azurite: AzuriteHandle;
let store: TableRequestStore;
let keys: TableClient;

const created = (requestId: string): AuditEntry => ({
  requestId, at: '2026-11-01T00:00:00.000Z', actor: 'owner@contoso.com', channel: 'api', action: 'created', to: 'received',
});

beforeAll(async () => {
  azurite = await startAzurite();
  const client = (name: string) => TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
  const requests = client('requests');
  keys = client('keys');
  await requests.createTable();
  await keys.createTable();
  store = new TableRequestStore(requests, keys);
});
afterAll(async () => azurite?.stop());

describe('TableRequestStore on Azurite', () => {
  it('stores a request with its first audit entry and reads it back', async () => {
    const request = sampleRequest();
    const outcome = await store.create(request, created(request.id));
    expect(outcome.created).toBe(true);
    expect((await store.get(request.id))?.value).toEqual(request);
    expect(await store.auditTrail(request.id)).toEqual([created(request.id)]);
  });

  it('returns the open request instead of creating a duplicate', async () => {
    const first = sampleRequest({ dedupeKey: 'same-resource-same-recommendation' });
    const second = sampleRequest({ dedupeKey: 'same-resource-same-recommendation' });
    await store.create(first, created(first.id));
    const outcome = await store.create(second, created(second.id));
    expect(outcome).toEqual({ created: false, existing: first });
    expect(await store.get(second.id)).toBeUndefined();
  });

  it('releases the dedupe key once the request closes', async () => {
    const first = sampleRequest({ dedupeKey: 'closes' });
    const stored = await store.create(first, created(first.id));
    if (!stored.created) throw new Error('expected create');
    const rejected = transition(first, { to: 'rejected', actor: 'sec@contoso.com', channel: 'review-page', at: new Date() });
    await store.update(rejected.request, stored.request.etag, [rejected.audit]);
    const again = sampleRequest({ dedupeKey: 'closes' });
    expect((await store.create(again, created(again.id))).created).toBe(true);
  });

  it('lets the first of two concurrent writers win', async () => {
    const request = sampleRequest();
    const stored = await store.create(request, created(request.id));
    if (!stored.created) throw new Error('expected create');
    const approve = transition(request, { to: 'approved', actor: 'a@contoso.com', channel: 'review-page', at: new Date() });
    const reject = transition(request, { to: 'rejected', actor: 'b@contoso.com', channel: 'review-page', at: new Date() });
    await store.update(approve.request, stored.request.etag, [approve.audit]);
    await expect(store.update(reject.request, stored.request.etag, [reject.audit])).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await store.get(request.id))?.value.state).toBe('approved');
    expect((await store.auditTrail(request.id)).map((entry) => entry.action)).toEqual(['created', 'approved']);
  });

  it('consumes a review token once, atomically with the decision', async () => {
    const request = sampleRequest();
    const stored = await store.create(request, created(request.id));
    if (!stored.created) throw new Error('expected create');
    const notified = transition(request, { to: 'notified', actor: 'system', channel: 'notify-worker', at: new Date() });
    const afterNotify = await store.update(notified.request, stored.request.etag, [notified.audit], { consumeToken: 'nonce-1' });
    expect(await store.isTokenConsumed(request.id, 'nonce-1')).toBe(true);
    const approved = transition(afterNotify.value, { to: 'approved', actor: 'a', channel: 'review-page', at: new Date() });
    await expect(store.update(approved.request, afterNotify.etag, [approved.audit], { consumeToken: 'nonce-1' }))
      .rejects.toBeInstanceOf(TokenAlreadyUsedError);
    expect((await store.get(request.id))?.value.state).toBe('notified');
  });

  it('filters and pages the list', async () => {
    const sub = '11111111-2222-3333-4444-555555555555';
    for (let i = 0; i < 5; i++) {
      const request = sampleRequest({ subscriptionId: sub, requestedBy: i % 2 ? 'Odd@Contoso.com' : 'even@contoso.com' });
      await store.create(request, created(request.id));
    }
    const firstPage = await store.list({ subscriptionId: sub }, { size: 3 });
    expect(firstPage.items).toHaveLength(3);
    expect(firstPage.continuationToken).toBeTruthy();
    const secondPage = await store.list({ subscriptionId: sub }, { size: 3, continuationToken: firstPage.continuationToken! });
    expect(secondPage.items).toHaveLength(2);
    const odd = await store.list({ subscriptionId: sub, requestedBy: 'odd@contoso.com' }, { size: 10 });
    expect(odd.items.map((r) => r.requestedBy)).toEqual(['Odd@Contoso.com', 'Odd@Contoso.com']);
  });

  it('stores and reads back intact a request with the most resources, the longest ids and the most assignments', async () => {
    const worst = { ...worstCaseRequest(SETTINGS.MAX_RESOURCES_PER_REQUEST.max), state: 'received' as const };
    const outcome = await store.create(worst, created(worst.id));
    if (!outcome.created) throw new Error('expected create');
    expect((await store.get(worst.id))?.value).toEqual(worst);
    const approved = transition(worst, { to: 'approved', actor: 'a@contoso.com', channel: 'review-page', at: new Date() });
    await store.update(approved.request, outcome.request.etag, [approved.audit]);
    expect((await store.get(worst.id))?.value).toEqual(approved.request);
    const listed = await store.list({ state: 'approved' }, { size: 100 });
    expect(listed.items.find((r) => r.id === worst.id)).toEqual(approved.request);
  });

  it('refuses a request too large to store before writing anything, its dedupe key included', async () => {
    const tooLarge = { ...worstCaseRequest(SETTINGS.MAX_RESOURCES_PER_REQUEST.max + 1), id: 'toolarge0000000000', dedupeKey: 'too-large', state: 'received' as const };
    await expect(store.create(tooLarge, created(tooLarge.id))).rejects.toBeInstanceOf(DocumentTooLargeError);
    expect(await store.get(tooLarge.id)).toBeUndefined();
    await expect(keys.getEntity(tooLarge.dedupeKey, 'open')).rejects.toMatchObject({ statusCode: 404 });
  });
});
