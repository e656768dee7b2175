import { TableClient } from '@azure/data-tables';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExemptionRequest } from '../../functions/exemption-requests-create.js';
import { notifyWorker } from '../../functions/notify-worker.js';
import { configureServices, type AppServices } from '../../lib/composition-root.js';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { submitRequest } from '../../lib/requests/intake-service.js';
import { transition } from '../../lib/requests/lifecycle.js';
import { dedupeKeyFor } from '../../lib/requests/request-id.js';
import type { ExemptionRequest } from '../../lib/requests/model.js';
import type { RequestStore } from '../../lib/requests/ports/store.js';
import { fromRequestEntity } from '../../lib/store/table-entities.js';
import { loadDefaultSeed, SEED, startSimTenant, trustSimCertificate, type SimSeed, type SimTenant } from '../sim/index.js';
import { startAzurite, type AzuriteHandle } from '../support/azurite.js';
import { defenderEvent } from '../support/defender-event.js';
import { appSettingsFor } from '../support/local-environment.js';

const S1 = SEED.subscriptions.production;
const CONTACTS = SEED.contactEmails[S1]!;
const { jit: JIT, systemUpdates: UPDATES } = SEED.assessmentKeys;
const WINDOW_SECONDS = 60;
const VM_COUNT = 130;
const vm = (n: number) => `/subscriptions/${S1}/resourceGroups/rg-burst/providers/Microsoft.Compute/virtualMachines/vm-burst-${String(n).padStart(3, '0')}`;

/** The default seed plus a resource group of VMs that JIT and system updates both flag, apart from every other test's. */
async function seedWithBurstVms(): Promise<SimSeed> {
  const seed = await loadDefaultSeed();
  const ids = Array.from({ length: VM_COUNT }, (_, n) => vm(n));
  seed.subscriptions.find((s) => s.subscriptionId === S1)!.resourceGroups.push({
    name: 'rg-burst', location: 'westeurope',
    resources: ids.map((id) => ({ type: 'Microsoft.Compute/virtualMachines', name: id.split('/').pop()! })),
  });
  for (const key of [JIT, UPDATES]) {
    const template = seed.assessments.find((a) => a.name === key)!;
    seed.assessments.push(...ids.map((resourceId) => ({ ...structuredClone(template), resourceId })));
  }
  return seed;
}

let sim: SimTenant;
let azurite: AzuriteHandle;
let app: AppServices;
let env: Record<string, string>;
let requestsTable: TableClient;
let nowMs = Date.now();
const clock = { now: () => new Date(nowMs) };
let nextVm = 0;
/** VMs no earlier test has named. */
const freshVms = (count: number) => Array.from({ length: count }, () => vm(nextVm++));

beforeAll(async () => {
  const [seed, storage] = await Promise.all([seedWithBurstVms(), startAzurite()]);
  azurite = storage;
  sim = await startSimTenant({ seed });
  trustSimCertificate(sim.caCertPem);
  env = { ...appSettingsFor(sim, azurite), PUBLIC_BASE_URL: 'http://127.0.0.1:7071', COALESCE_WINDOW_SECONDS: String(WINDOW_SECONDS) };
  app = configureServices({ env, clock });
  requestsTable = TableClient.fromConnectionString(azurite.connectionString, STORAGE_NAMES.requestsTable, { allowInsecureConnection: true });
});
afterAll(async () => {
  await Promise.allSettled([sim?.close(), azurite?.stop()]);
});

/** The relay's POST, through the real handler. */
async function relay(resourceId: string, assessmentKey: string, extra: Record<string, unknown> = {}): Promise<{ status: number; body: any }> {
  const response = await createExemptionRequest(new HttpRequest({
    method: 'POST', url: 'http://127.0.0.1:7071/api/exemption-requests',
    headers: { 'content-type': 'application/json' },
    body: { string: JSON.stringify(defenderEvent(resourceId, assessmentKey, { extra })) },
  }), new InvocationContext());
  return { status: response.status ?? 200, body: response.jsonBody };
}

/** One delivery of a notify message to the real worker; what it logged. */
async function deliverNotify(requestId: string): Promise<string> {
  const lines: string[] = [];
  await notifyWorker({ kind: 'notify', requestId }, new InvocationContext({ logHandler: (_level, ...args) => lines.push(args.join(' ')) }));
  return lines.join('\n');
}

async function stored(id: string): Promise<ExemptionRequest> {
  const found = await (await app.store()).get(id);
  if (!found) throw new Error(`request ${id} is not stored`);
  return found.value;
}

/** Every stored request with a target on one of `resourceIds`. */
async function requestsHolding(resourceIds: readonly string[]): Promise<ExemptionRequest[]> {
  const wanted = new Set(resourceIds.map((id) => id.toLowerCase()));
  const found: ExemptionRequest[] = [];
  for await (const entity of requestsTable.listEntities<Record<string, unknown>>({ queryOptions: { filter: "RowKey eq 'request'" } })) {
    const request = fromRequestEntity(entity);
    if (request.targets.some((t) => wanted.has(t.resourceId.toLowerCase()))) found.push(request);
  }
  return found;
}

const mailsAbout = (id: string, to: string) => sim.smtp.messages().filter((m) => m.to.includes(to) && m.text.includes(id));
const closeWindowOf = (request: ExemptionRequest) => {
  nowMs = Date.parse(request.burst!.closesAt) + 1000;
};

describe('a burst of relay events for one recommendation', () => {
  it('fifty at once make one request holding the fifty resources, mailed to each approver once, when the window closes', async () => {
    const vms = freshVms(50);
    const requester = { requestedBy: 'dev.owner@contoso.com' };
    const responses = await Promise.all(vms.map((id) => relay(id, JIT, requester)));

    expect(responses.map((r) => r.status)).toEqual(vms.map(() => 202));
    const ids = new Set(responses.map((r) => r.body.id as string));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as [string];
    expect(responses.filter((r) => r.body.coalesced === true)).toHaveLength(49);
    const request = await stored(id);
    expect(request.targets.map((t) => t.resourceId).sort()).toEqual([...vms].sort());
    expect(await requestsHolding(vms)).toHaveLength(1);
    const trail = (await (await app.store()).auditTrail(id)).map((e) => e.action);
    expect(trail.filter((a) => a === 'created')).toHaveLength(1);
    expect(trail.filter((a) => a === 'joined burst')).toHaveLength(49);
    // The API shows when the window closes, never the internal burst key.
    expect(responses[0]!.body.burst).toEqual({ closesAt: request.burst!.closesAt });

    // One notify message, sent hidden until the window closes.
    const queue = new QueueClient(azurite.connectionString, STORAGE_NAMES.notifyQueue);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(1);
    expect((await queue.peekMessages()).peekedMessageItems).toHaveLength(0);

    // A delivery before the close (a redelivery, a renotify) mails nobody and waits for the rest of the window.
    expect(await deliverNotify(id)).toContain(`request ${id}: deferred`);
    expect(sim.smtp.messages().filter((m) => m.text.includes(id))).toHaveLength(0);
    expect((await stored(id)).state).toBe('received');

    closeWindowOf(request);
    expect(await deliverNotify(id)).toContain(`request ${id}: notified`);
    expect(await deliverNotify(id)).toContain(`request ${id}: skipped`);
    for (const contact of CONTACTS) {
      const mails = mailsAbout(id, contact);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toContain('50 resources');
      for (const resourceId of vms) expect(mails[0]!.text).toContain(resourceId);
    }
    const notified = await stored(id);
    expect(notified).toMatchObject({ state: 'notified', burst: { sealedAt: expect.any(String) } });
    expect(notified.targets).toHaveLength(50);
  });

  it('never merges events for different recommendations, nor for different requesters', async () => {
    const [a, b, c, d] = freshVms(4) as [string, string, string, string];
    const responses = await Promise.all([
      relay(a, JIT, { requestedBy: 'alice.dev@contoso.com' }),
      relay(b, UPDATES, { requestedBy: 'alice.dev@contoso.com' }),
      relay(c, JIT, { requestedBy: 'bob.dev@contoso.com' }),
      relay(d, JIT),
    ]);
    expect(responses.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    expect(responses.map((r) => r.body.coalesced)).toEqual([undefined, undefined, undefined, undefined]);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(4);
    // The same recommendation on the same resource is another request too.
    const other = await relay(a, UPDATES, { requestedBy: 'alice.dev@contoso.com' });
    expect(other).toMatchObject({ status: 202, body: { id: responses[1]!.body.id, coalesced: true } });
    expect((await stored(responses[0]!.body.id)).targets.map((t) => t.resourceId)).toEqual([a]);
  });

  it('compares requesters canonically: another spelling of the same person joins', async () => {
    const [a, b] = freshVms(2) as [string, string];
    const first = await relay(a, JIT, { requestedBy: 'carol.dev@contoso.com' });
    const second = await relay(b, JIT, { requestedBy: ' Carol.Dev+blade@CONTOSO.com' });
    expect(second).toMatchObject({ status: 202, body: { id: first.body.id, coalesced: true } });
  });

  it('an event after the window closed, or after the notification, starts a new request; the old one gains nothing', async () => {
    const [a, b, c, d] = freshVms(4) as [string, string, string, string];
    const requester = { requestedBy: 'dave.dev@contoso.com' };
    const first = (await relay(a, JIT, requester)).body.id as string;
    closeWindowOf(await stored(first));
    const late = await relay(b, JIT, requester);
    expect(late.status).toBe(202);
    expect(late.body.id).not.toBe(first);
    expect(late.body.coalesced).toBeUndefined();
    // The late event closed the old window as it found it due; the notify worker then mails what it holds.
    expect((await stored(first)).burst?.sealedAt).toBeDefined();
    expect((await stored(first)).targets.map((t) => t.resourceId)).toEqual([a]);
    expect(await deliverNotify(first)).toContain('notified');

    const second = late.body.id as string;
    expect((await relay(c, JIT, requester)).body).toMatchObject({ id: second, coalesced: true });
    closeWindowOf(await stored(second));
    expect(await deliverNotify(second)).toContain('notified');
    const afterNotify = await relay(d, JIT, requester);
    expect(afterNotify.status).toBe(202);
    expect(afterNotify.body.id).not.toBe(second);
    expect((await stored(second)).targets.map((t) => t.resourceId)).toEqual([b, c]);
    expect(mailsAbout(second, CONTACTS[0]!)).toHaveLength(1);
  });

  it('an event whose join is overtaken by the notify worker sealing the request starts a new request', async () => {
    const [a, b] = freshVms(2) as [string, string];
    const requester = { requestedBy: 'erin.dev@contoso.com' };
    const first = (await relay(a, JIT, requester)).body.id as string;
    const ports = await app.ports();
    const real = ports.store;
    let overtaken = 0;
    // The joiner has read the open request; before its write lands, the window closes and the worker seals and mails.
    const racing: RequestStore = new Proxy(real, {
      get(target, property, receiver) {
        if (property !== 'update') return Reflect.get(target, property, receiver);
        return async (...args: Parameters<RequestStore['update']>) => {
          if (overtaken++ === 0) {
            closeWindowOf(await stored(first));
            expect(await deliverNotify(first)).toContain('notified');
          }
          return target.update(...args);
        };
      },
    });
    const outcome = await submitRequest({ ...ports, store: racing }, {
      source: 'defender', resourceIds: [b], selector: { kind: 'assessment', assessmentKey: JIT }, category: 'Waiver',
      justification: 'Requested from the Defender for Cloud recommendation blade.', expiresOn: new Date(nowMs + 30 * 86_400_000).toISOString(),
      requestedBy: requester.requestedBy, requesterAssurance: 'asserted', maxScopeLevel: 'resourceGroup',
    }, { windowSeconds: WINDOW_SECONDS, windows: await app.burstWindows() });

    expect(overtaken).toBeGreaterThan(0);
    expect(outcome.kind).toBe('created');
    expect(outcome.request.id).not.toBe(first);
    const notified = await stored(first);
    expect(notified.state).toBe('notified');
    expect(notified.targets.map((t) => t.resourceId)).toEqual([a]);
    for (const contact of CONTACTS) expect(mailsAbout(first, contact)[0]!.text).not.toContain(b);
    expect((await requestsHolding([b])).map((r) => r.id)).toEqual([outcome.request.id]);
  });
});

describe('a resource already in an open request', () => {
  it('is a duplicate of it: another relay event, or a direct request for the same resource and recommendation', async () => {
    const [a, b] = freshVms(2) as [string, string];
    const requester = { requestedBy: 'frank.dev@contoso.com' };
    const first = await relay(a, JIT, requester);
    await relay(b, JIT, requester);
    const again = await relay(b, JIT, requester);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const fromAnotherRequester = await relay(b, JIT, { requestedBy: 'grace.dev@contoso.com' });
    expect(fromAnotherRequester).toMatchObject({ status: 200, body: { id: first.body.id } });
    const direct = await submitRequest(await app.ports(), {
      source: 'api', resourceIds: [b], selector: { kind: 'assessment', assessmentKey: JIT }, category: 'Waiver',
      justification: 'Jump host only reachable through the bastion', expiresOn: new Date(nowMs + 30 * 86_400_000).toISOString(),
      requestedBy: 'frank.dev@contoso.com', requesterAssurance: 'asserted', maxScopeLevel: 'resourceGroup',
    });
    expect(direct).toMatchObject({ kind: 'duplicate', request: { id: first.body.id } });
    expect((await stored(first.body.id)).targets.map((t) => t.resourceId)).toEqual([a, b]);
    expect(await requestsHolding([b])).toHaveLength(1);
  });

  it('in a plain request (not a burst), makes a relay event for it a duplicate of that request', async () => {
    const [a] = freshVms(1) as [string];
    const direct = await submitRequest(await app.ports(), {
      source: 'api', resourceIds: [a], selector: { kind: 'assessment', assessmentKey: JIT }, category: 'Waiver',
      justification: 'Jump host only reachable through the bastion', expiresOn: new Date(nowMs + 30 * 86_400_000).toISOString(),
      requestedBy: 'heidi.dev@contoso.com', requesterAssurance: 'asserted', maxScopeLevel: 'resourceGroup',
    });
    expect(direct.kind).toBe('created');
    expect(await relay(a, JIT, { requestedBy: 'heidi.dev@contoso.com' })).toMatchObject({ status: 200, body: { id: direct.request.id } });
  });
});

describe('the keys a burst request holds', () => {
  const openKeys = () => TableClient.fromConnectionString(azurite.connectionString, STORAGE_NAMES.openKeysTable, { allowInsecureConnection: true });
  const keyOf = (resourceId: string) => dedupeKeyFor({ resourceIds: [resourceId], selector: { kind: 'assessment', assessmentKey: JIT } });
  const holderOf = async (resourceId: string) => {
    try {
      return (await openKeys().getEntity<{ requestId: string }>(keyOf(resourceId), 'open')).requestId;
    } catch {
      return undefined;
    }
  };

  it('are all released when it closes, so each resource can be asked for again', async () => {
    const [a, b] = freshVms(2) as [string, string];
    const requester = { requestedBy: 'mallory.dev@contoso.com' };
    const id = (await relay(a, JIT, requester)).body.id as string;
    await relay(b, JIT, requester);
    expect([await holderOf(a), await holderOf(b)]).toEqual([id, id]);
    const store = await app.store();
    const current = (await store.get(id))!;
    const rejected = transition(current.value, { to: 'rejected', actor: CONTACTS[0]!, channel: 'review-page', at: clock.now() });
    await store.update(rejected.request, current.etag, [rejected.audit]);
    expect([await holderOf(a), await holderOf(b)]).toEqual([undefined, undefined]);
    const again = await relay(b, JIT, requester);
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(id);
  });

  it('a key left naming a sealed request that does not hold the resource (a joiner that crashed) is taken over', async () => {
    const [a, c] = freshVms(2) as [string, string];
    const requester = { requestedBy: 'niaj.dev@contoso.com' };
    const id = (await relay(a, JIT, requester)).body.id as string;
    // A joiner claimed c's key for the request and died before writing c into it.
    await openKeys().upsertEntity({ partitionKey: keyOf(c), rowKey: 'open', requestId: id }, 'Replace');
    // While the request takes targets that joiner may still be on its way: c is its duplicate.
    expect(await relay(c, JIT, { requestedBy: 'olivia.dev@contoso.com' })).toMatchObject({ status: 200, body: { id } });
    closeWindowOf(await stored(id));
    expect(await deliverNotify(id)).toContain('notified');
    // Sealed without c, it never will hold c: c gets a request of its own.
    const after = await relay(c, JIT, { requestedBy: 'olivia.dev@contoso.com' });
    expect(after.status).toBe(202);
    expect(after.body.id).not.toBe(id);
    expect(await holderOf(c)).toBe(after.body.id);
    expect((await stored(id)).targets.map((t) => t.resourceId)).toEqual([a]);
  });
});

describe('what a burst refuses', () => {
  it('a resource that cannot be resolved gets the 4xx and joins nothing', async () => {
    const [a] = freshVms(1) as [string];
    const requester = { requestedBy: 'ivan.dev@contoso.com' };
    const first = await relay(a, JIT, requester);
    const before = await stored(first.body.id);
    const unseeded = `/subscriptions/${S1}/resourceGroups/rg-burst/providers/Microsoft.Compute/virtualMachines/vm-not-seeded`;
    const refused = await relay(unseeded, JIT, requester);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'assessmentKey', message: expect.stringContaining('vm-not-seeded') })]);
    const after = await stored(first.body.id);
    expect(after).toEqual(before);
    expect(await requestsHolding([unseeded])).toHaveLength(0);
  });

  it('a request that is full (by the store\'s size limit) closes, and the next event starts a new request', async () => {
    const vms = freshVms(4);
    const requester = { requestedBy: 'judy.dev@contoso.com' };
    const ports = await app.ports();
    let limit = ports.store.maxDocumentBytes;
    const sized: RequestStore = new Proxy(ports.store, {
      get: (target, property, receiver) => (property === 'maxDocumentBytes' ? limit : Reflect.get(target, property, receiver)),
    });
    const windows = await app.burstWindows();
    const submit = (resourceId: string) => submitRequest({ ...ports, store: sized }, {
      source: 'defender', resourceIds: [resourceId], selector: { kind: 'assessment', assessmentKey: JIT }, category: 'Waiver',
      justification: 'Requested from the Defender for Cloud recommendation blade.', expiresOn: new Date(nowMs + 30 * 86_400_000).toISOString(),
      requestedBy: requester.requestedBy, requesterAssurance: 'asserted', maxScopeLevel: 'resourceGroup',
    }, { windowSeconds: WINDOW_SECONDS, windows });
    const first = await submit(vms[0]!);
    await submit(vms[1]!);
    const third = await submit(vms[2]!);
    expect(third).toMatchObject({ kind: 'coalesced', request: { id: first.request.id } });
    // Exactly three fit now; a fourth would not.
    const { fullyGrown, jsonBytes } = await import('../../lib/requests/request-size.js');
    limit = jsonBytes(fullyGrown(third.request));
    const fourth = await submit(vms[3]!);
    expect(fourth.kind).toBe('created');
    expect(fourth.request.id).not.toBe(first.request.id);
    const full = await stored(first.request.id);
    expect(full.targets).toHaveLength(3);
    expect(full.burst?.sealedAt).toBeDefined();
    const closed = (await ports.store.auditTrail(first.request.id)).filter((e) => e.action === 'burst closed');
    expect(closed).toEqual([expect.objectContaining({ detail: 'it is full: 3 resources' })]);
  });
});

describe('where coalescing does not apply', () => {
  it('direct API requests stay one request per call', async () => {
    const [a, b] = freshVms(2) as [string, string];
    const ports = await app.ports();
    const windows = await app.burstWindows();
    const call = (resourceId: string) => submitRequest(ports, {
      source: 'api', resourceIds: [resourceId], selector: { kind: 'assessment', assessmentKey: JIT }, category: 'Waiver',
      justification: 'Jump host only reachable through the bastion', expiresOn: new Date(nowMs + 30 * 86_400_000).toISOString(),
      requestedBy: 'kim.dev@contoso.com', requesterAssurance: 'asserted', maxScopeLevel: 'resourceGroup',
    }, { windowSeconds: WINDOW_SECONDS, windows });
    const [one, two] = await Promise.all([call(a), call(b)]);
    expect([one.kind, two.kind]).toEqual(['created', 'created']);
    expect(one.request.id).not.toBe(two.request.id);
    expect(one.request.burst).toBeUndefined();
  });

  it('COALESCE_WINDOW_SECONDS=0 turns it off: each relay event is its own request, notified at once', async () => {
    const [a, b] = freshVms(2) as [string, string];
    configureServices({ env: { ...env, COALESCE_WINDOW_SECONDS: '0' }, clock });
    try {
      const requester = { requestedBy: 'liam.dev@contoso.com' };
      const [one, two] = await Promise.all([relay(a, JIT, requester), relay(b, JIT, requester)]);
      expect([one.status, two.status]).toEqual([202, 202]);
      expect(one.body.id).not.toBe(two.body.id);
      expect(one.body.burst).toBeUndefined();
      expect(await deliverNotify(one.body.id)).toContain('notified');
    } finally {
      app = configureServices({ env, clock });
    }
  });
});
