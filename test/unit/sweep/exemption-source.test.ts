import { describe, expect, it } from 'vitest';
import type { ArmError } from '../../../lib/azure/arm-error.js';
import type { InventoryExemption, InventoryPage } from '../../../lib/sweep/inventory.js';
import { exemptionPages } from '../../../lib/sweep/sources/exemption-source.js';
import { ResourceGraph } from '../../../lib/sweep/sources/resource-graph.js';
import { fakeTransport, type FakeAnswer, type SeenRequest } from './fake-arm.js';
import { exemptionRow, OTHER_SUB, SUB } from './rows.js';

const GRAPH_PATH = '/providers/Microsoft.ResourceGraph/resources';
const listPath = (sub: string) => `/subscriptions/${sub}/providers/Microsoft.Authorization/policyExemptions`;
const inherited = exemptionRow('from-mg', { id: '/providers/Microsoft.Management/managementGroups/mg/providers/Microsoft.Authorization/policyExemptions/from-mg' });
const inOther = (name: string) => exemptionRow(name, { id: `/subscriptions/${OTHER_SUB}/resourceGroups/rg/providers/Microsoft.Authorization/policyExemptions/${name}` });

/** ARM's list: SUB has two pages (the second behind a nextLink on another host), OTHER_SUB one. */
function restList(request: SeenRequest): FakeAnswer {
  if (request.path === listPath(SUB) && request.query.$skipToken === undefined) {
    return { status: 200, body: { value: [exemptionRow('r1'), inherited], nextLink: `https://management.azure.com${listPath(SUB)}?api-version=2024-12-01-preview&$skipToken=next` } };
  }
  if (request.path === listPath(SUB)) return { status: 200, body: { value: [exemptionRow('r2'), exemptionRow('bad', { properties: { exemptionCategory: 'Forever' } })] } };
  if (request.path === listPath(OTHER_SUB)) return { status: 200, body: { value: [inOther('o1'), inherited] } };
  return { status: 404, body: { error: { code: 'NotFound', message: request.path } } };
}

function run(graph: (request: SeenRequest) => FakeAnswer) {
  const fake = fakeTransport((request) => (request.path === GRAPH_PATH ? graph(request) : restList(request)));
  const fallbacks: ArmError[] = [];
  const pages = exemptionPages({
    graph: new ResourceGraph(fake.transport),
    transport: fake.transport,
    scope: { subscriptions: [SUB, OTHER_SUB] },
    fallbackSubscriptions: [SUB, OTHER_SUB],
    onFallback: (reason) => fallbacks.push(reason),
  });
  const collect = async () => {
    const seen: InventoryPage<InventoryExemption>[] = [];
    for await (const page of pages) seen.push(page);
    return seen;
  };
  return { ...fake, fallbacks, collect };
}

const names = (pages: InventoryPage<InventoryExemption>[]) => pages.flatMap((p) => p.items.map((e) => e.name));

describe('the REST fallback', () => {
  it('is used when Resource Graph refuses (403): lists each subscription unfiltered, follows nextLink, skips inherited rows', async () => {
    const { arm, fallbacks, collect } = run(() => ({ status: 403, body: { error: { code: 'AuthorizationFailed', message: 'no' } } }));
    const pages = await collect();
    expect(fallbacks.map((e) => e.status)).toEqual([403]);
    expect(pages.every((p) => p.source === 'rest')).toBe(true);
    expect(names(pages)).toEqual(['r1', 'r2', 'o1']);
    expect(pages.flatMap((p) => p.problems)).toEqual([{ source: 'rest', rowId: expect.stringMatching(/\/bad$/), reason: expect.stringMatching(/exemptionCategory/) }]);
    const rest = arm.seen.filter((r) => r.path !== GRAPH_PATH);
    expect(rest.map((r) => [r.method, r.path, r.query])).toEqual([
      ['GET', listPath(SUB), { 'api-version': '2024-12-01-preview' }],
      // The nextLink's own host is not followed: the token only ever goes to the configured endpoint.
      ['GET', listPath(SUB), { 'api-version': '2024-12-01-preview', $skipToken: 'next' }],
      ['GET', listPath(OTHER_SUB), { 'api-version': '2024-12-01-preview' }],
    ]);
    expect(arm.seen.filter((r) => r.path === GRAPH_PATH)).toHaveLength(1);
  });

  it('is used when Resource Graph keeps failing (503) after the bounded retries', async () => {
    const { arm, fallbacks, pacer, collect } = run(() => ({ status: 503 }));
    expect(names(await collect())).toEqual(['r1', 'r2', 'o1']);
    expect(fallbacks.map((e) => e.status)).toEqual([503]);
    expect(arm.seen.filter((r) => r.path === GRAPH_PATH)).toHaveLength(4);
    expect(pacer.sleeps).toEqual([1000, 2000, 4000]);
  });

  it('is used when Resource Graph is not there (404)', async () => {
    const { fallbacks, collect } = run(() => ({ status: 404 }));
    expect(names(await collect())).toEqual(['r1', 'r2', 'o1']);
    expect(fallbacks).toHaveLength(1);
  });

  it('is not used when Resource Graph answers', async () => {
    const { arm, fallbacks, collect } = run(() => ({ status: 200, body: { totalRecords: 1, count: 1, resultTruncated: 'false', data: [exemptionRow('g1')] } }));
    const pages = await collect();
    expect(names(pages)).toEqual(['g1']);
    expect(pages.map((p) => p.source)).toEqual(['resourceGraph']);
    expect(fallbacks).toEqual([]);
    expect(arm.seen.every((r) => r.path === GRAPH_PATH)).toBe(true);
  });

  it('is not used for a query Resource Graph rejects (400): that is our bug, not an outage', async () => {
    const { arm, collect } = run(() => ({ status: 400, body: { error: { code: 'BadRequest', message: 'syntax' } } }));
    await expect(collect()).rejects.toMatchObject({ status: 400 });
    expect(arm.seen.every((r) => r.path === GRAPH_PATH)).toBe(true);
  });

  it('is not used once Resource Graph pages were yielded: that would yield those rows twice', async () => {
    const { arm, collect } = run((request) => ((request.body as { options: { $skipToken?: string } }).options.$skipToken
      ? { status: 403 }
      : { status: 200, body: { totalRecords: 2, count: 1, resultTruncated: 'false', data: [exemptionRow('g1')], $skipToken: 't' } }));
    await expect(collect()).rejects.toMatchObject({ status: 403 });
    expect(arm.seen.every((r) => r.path === GRAPH_PATH)).toBe(true);
  });
});

describe('Resource Graph pages as inventory', () => {
  it('a truncated result is reported as a problem on its page', async () => {
    const { collect } = run(() => ({ status: 200, body: { totalRecords: 5, count: 1, resultTruncated: 'true', data: [exemptionRow('g1')] } }));
    const [page] = await collect();
    expect(page?.items.map((e) => e.name)).toEqual(['g1']);
    expect(page?.problems).toEqual([{ source: 'resourceGraph', rowId: undefined, reason: expect.stringMatching(/truncated/) }]);
  });
});
