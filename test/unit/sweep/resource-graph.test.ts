import { describe, expect, it } from 'vitest';
import { ArmError } from '../../../lib/azure/arm-error.js';
import { parseResetsAfter, ResourceGraph } from '../../../lib/sweep/sources/resource-graph.js';
import { UserQuota } from '../../sim/graph/quota.js';
import { fakeTransport, TOKEN, type FakeAnswer, type SeenRequest } from './fake-arm.js';

const SUB = '00000000-0000-0000-0000-0000000000aa';
const QUERY = "policyresources | where type =~ 'microsoft.authorization/policyexemptions' | project id";

/** Pages of `sizes` rows; each page but the last names the next one's token. */
function pagedGraph(sizes: number[], headers: (index: number) => Record<string, string> = () => ({})) {
  return (request: SeenRequest): FakeAnswer => {
    const token = (request.body as { options: { $skipToken?: string } }).options.$skipToken;
    const index = token === undefined ? 0 : Number(token.slice(1));
    const start = sizes.slice(0, index).reduce((a, b) => a + b, 0);
    const data = Array.from({ length: sizes[index]! }, (_, i) => ({ id: `row-${start + i}` }));
    const more = index + 1 < sizes.length ? { $skipToken: `p${index + 1}` } : {};
    return { status: 200, headers: headers(index), body: { totalRecords: 2250, count: data.length, resultTruncated: 'false', data, ...more } };
  };
}

async function drain(graph: ResourceGraph, query = QUERY) {
  const ids: string[] = [];
  for await (const page of graph.pages(query, { subscriptions: [SUB] })) ids.push(...page.rows.map((r) => (r as { id: string }).id));
  return ids;
}

describe('Resource Graph paging', () => {
  it('yields every row once, in order, and stops at the page without a $skipToken', async () => {
    const { arm, transport } = fakeTransport(pagedGraph([1000, 1000, 250]));
    const ids = await drain(new ResourceGraph(transport));
    expect(ids).toEqual(Array.from({ length: 2250 }, (_, i) => `row-${i}`));
    expect(arm.seen.map((r) => (r.body as { options: { $skipToken?: string } }).options.$skipToken)).toEqual([undefined, 'p1', 'p2']);
  });

  it('sends the documented request: POST, api-version, bearer token, scope, query and objectArray options', async () => {
    const { arm, transport } = fakeTransport(pagedGraph([3]));
    await drain(new ResourceGraph(transport));
    expect(arm.seen).toHaveLength(1);
    expect(arm.seen[0]).toMatchObject({
      method: 'POST',
      path: '/providers/Microsoft.ResourceGraph/resources',
      query: { 'api-version': '2024-04-01' },
      authorization: `Bearer ${TOKEN}`,
      body: { subscriptions: [SUB], query: QUERY, options: { $top: 1000, resultFormat: 'objectArray' } },
    });
  });

  it('streams: the next page is asked for only when the consumer wants it', async () => {
    const { arm, transport } = fakeTransport(pagedGraph([1000, 1000, 250]));
    const pages = new ResourceGraph(transport).pages(QUERY, { managementGroups: ['mg-root'] });
    const first = await pages.next();
    expect(first.value?.rows).toHaveLength(1000);
    expect(arm.seen).toHaveLength(1);
    expect(arm.seen[0]!.body).toMatchObject({ managementGroups: ['mg-root'] });
    await pages.return(undefined);
    expect(arm.seen).toHaveLength(1);
  });
});

describe('the per-user quota', () => {
  it('after an answer with 0 remaining, waits exactly until the window resets, then continues', async () => {
    const quota = (i: number) => (i === 0
      ? { 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': '00:00:03' }
      : { 'x-ms-user-quota-remaining': '14', 'x-ms-user-quota-resets-after': '00:00:05' });
    const { arm, pacer, stats, transport } = fakeTransport(pagedGraph([1000, 1000, 250], quota));
    const ids = await drain(new ResourceGraph(transport));
    expect(ids).toHaveLength(2250);
    expect(arm.seen[1]!.at - arm.seen[0]!.at).toBe(3000);
    expect(arm.seen[2]!.at).toBe(arm.seen[1]!.at);
    expect(pacer.sleeps).toEqual([3000]);
    expect(stats).toMatchObject({ requests: 3, throttled: 0, waitedMs: 3000, quotaWaitedMs: 3000 });
  });

  it('waits for the tightest of the window\'s whole-second bounds, not the last answer\'s', async () => {
    // The simulated tenant's own quota decides; every answer arrives 300 ms after the tenant counted it.
    const LATENCY = 300;
    let pacer: { now(): number; advance(ms: number): void } | undefined;
    const quota = new UserQuota({ clock: () => pacer!.now() });
    const pages = pagedGraph(Array.from({ length: 16 }, () => 1000));
    const fake = fakeTransport((request) => {
      const decision = quota.take('sweep');
      pacer!.advance(LATENCY);
      return decision.allowed ? { ...pages(request), headers: decision.headers } : { status: 429, headers: { 'retry-after': '1' }, body: {} };
    });
    pacer = fake.pacer;
    const windowStart = fake.pacer.now();
    await drain(new ResourceGraph(fake.transport));
    const sixteenth = fake.arm.seen[15]!.at - windowStart;
    expect(fake.stats.throttled).toBe(0);
    expect(sixteenth).toBeGreaterThanOrEqual(5_000);
    // The first answer's bound is exact but for its round trip; the last answer's alone would add ~0.5 s.
    expect(sixteenth).toBeLessThanOrEqual(5_000 + LATENCY);
  });

  it('the wait carries over to the next query made through the same client', async () => {
    const { arm, pacer, transport } = fakeTransport(pagedGraph([5], () => ({ 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': '00:01:02.5' })));
    const graph = new ResourceGraph(transport);
    await drain(graph);
    await drain(graph);
    expect(pacer.sleeps).toEqual([62_500]);
    expect(arm.seen[1]!.at - arm.seen[0]!.at).toBe(62_500);
  });

  it('does not wait while quota remains', async () => {
    const { pacer, transport } = fakeTransport(pagedGraph([1000, 1000, 250], () => ({ 'x-ms-user-quota-remaining': '1', 'x-ms-user-quota-resets-after': '00:00:05' })));
    await drain(new ResourceGraph(transport));
    expect(pacer.sleeps).toEqual([]);
  });

  it('reads hh:mm:ss and ignores what is not', () => {
    expect(parseResetsAfter('00:00:04')).toBe(4000);
    expect(parseResetsAfter('01:02:03')).toBe(3_723_000);
    expect(parseResetsAfter('00:00:00.25')).toBe(250);
    for (const bad of [undefined, '', '4', '00:00:60', '00:4', 'soon']) expect(parseResetsAfter(bad)).toBeUndefined();
  });
});

describe('429', () => {
  it('waits Retry-After, then asks again for the same page', async () => {
    const pages = pagedGraph([1000, 250]);
    let throttledOnce = false;
    const { arm, pacer, stats, transport } = fakeTransport((request) => {
      if (request.body && (request.body as { options: { $skipToken?: string } }).options.$skipToken === 'p1' && !throttledOnce) {
        throttledOnce = true;
        return { status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 'RateLimiting', message: 'slow down' } } };
      }
      return pages(request);
    });
    const ids = await drain(new ResourceGraph(transport));
    expect(ids).toEqual(Array.from({ length: 1250 }, (_, i) => `row-${i}`));
    expect(arm.seen).toHaveLength(3);
    expect(arm.seen[2]!.at - arm.seen[1]!.at).toBe(7000);
    expect(pacer.sleeps).toEqual([7000]);
    expect(stats).toMatchObject({ requests: 3, throttled: 1, retries: 1, waitedMs: 7000, quotaWaitedMs: 0 });
  });

  it('gives up after the bounded retries with a transient ArmError', async () => {
    const { arm, pacer, transport } = fakeTransport(() => ({ status: 429, headers: { 'retry-after': '2' } }), 2);
    const error = await drain(new ResourceGraph(transport)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArmError);
    expect(error).toMatchObject({ status: 429, transient: true, retryAfterSeconds: 2 });
    expect(arm.seen).toHaveLength(3);
    expect(pacer.sleeps).toEqual([2000, 2000]);
  });

  it('a 403 is not retried', async () => {
    const { arm, transport } = fakeTransport(() => ({ status: 403, body: { error: { code: 'AuthorizationFailed', message: 'no' } } }));
    await expect(drain(new ResourceGraph(transport))).rejects.toMatchObject({ status: 403, code: 'AuthorizationFailed' });
    expect(arm.seen).toHaveLength(1);
  });
});
