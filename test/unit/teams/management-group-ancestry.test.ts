// The ancestry reader over the real transport and Resource Graph client, with ARM played by a fake
// HttpClient at the bottom of the pipeline: strict rows, paging, and one query per TTL.
import { describe, expect, it } from 'vitest';
import { ResourceGraph } from '../../../lib/sweep/sources/resource-graph.js';
import { ANCESTRY_TTL_MS, ManagementGroupAncestry, SUBSCRIPTION_ANCESTRY_QUERY } from '../../../lib/teams/management-group-ancestry.js';
import { fakeTransport, type SeenRequest } from '../sweep/fake-arm.js';

const TENANT = '7d3c1f5e-2b4a-4c8e-9f61-0a5b3e2d1c47';
const S1 = '3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
const S2 = '9a7e4d2c-1b3f-4e8a-b6c5-2d9f0e1a3b47';
const chain = (...names: string[]) => [...names, TENANT].map((name) => ({ name, displayName: name === TENANT ? 'Tenant Root Group' : name }));
const row = (subscriptionId: unknown, managementGroupAncestorsChain: unknown) => ({ id: `/subscriptions/${String(subscriptionId)}`, subscriptionId, properties: { state: 'Enabled', managementGroupAncestorsChain } });

function reader(pages: Array<{ data: unknown[]; $skipToken?: string }>) {
  const answer = (seen: SeenRequest) => {
    const token = (seen.body as { options?: { $skipToken?: string } }).options?.$skipToken;
    const page = token ? pages[Number(token)]! : pages[0]!;
    return { status: 200, body: { totalRecords: 0, count: page.data.length, resultTruncated: 'false', ...page } };
  };
  const { transport, arm, pacer } = fakeTransport(answer);
  const warnings: string[] = [];
  const clock = { now: () => new Date(pacer.now()) };
  const ancestry = new ManagementGroupAncestry(new ResourceGraph(transport), clock, (m) => warnings.push(m));
  return { ancestry, arm, pacer, warnings };
}

describe('management group ancestry from Resource Graph', () => {
  it('reads every page once, nearest group first, and asks again only after the TTL', async () => {
    const { ancestry, arm, pacer, warnings } = reader([
      { data: [row(S1, chain('Team-A', 'contoso'))], $skipToken: '1' },
      { data: [row(S2.toUpperCase(), chain('contoso'))] },
    ]);
    const [a, b, unknown] = await Promise.all([ancestry.ancestorsOf(S1), ancestry.ancestorsOf(S2), ancestry.ancestorsOf('c5d1e9b3-7f2a-4a6c-8e4d-1b0f3a5c7e92')]);
    expect(a).toEqual(['team-a', 'contoso', TENANT]);
    expect(b).toEqual(['contoso', TENANT]);
    expect(unknown).toEqual([]);
    expect(arm.seen).toHaveLength(2);
    expect(arm.seen[0]!.body).toMatchObject({ query: SUBSCRIPTION_ANCESTRY_QUERY, options: { resultFormat: 'objectArray' } });
    expect(arm.seen[0]!.body).not.toHaveProperty('subscriptions');
    expect(warnings).toEqual([]);

    pacer.advance(ANCESTRY_TTL_MS - 1);
    await ancestry.ancestorsOf(S1);
    expect(arm.seen).toHaveLength(2);
    pacer.advance(1);
    await ancestry.ancestorsOf(S1);
    expect(arm.seen).toHaveLength(4);
  });

  it('skips malformed rows with one warning, and keeps the good ones', async () => {
    const { ancestry, warnings } = reader([{ data: [
      row(S1, chain('contoso')),
      row('not-a-guid', chain('contoso')),
      row(S2, [{ name: 'contoso/../other', displayName: 'x' }]),
      row('c5d1e9b3-7f2a-4a6c-8e4d-1b0f3a5c7e92', 'contoso'),
      { subscriptionId: 'a1b2c3d4-0000-4000-8000-000000000000' },
      null,
    ] }]);
    expect(await ancestry.ancestorsOf(S1)).toEqual(['contoso', TENANT]);
    expect(await ancestry.ancestorsOf(S2)).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Teams: 5 Resource Graph subscription row\(s\) skipped as malformed \(first: subscriptionId: is not a subscription id/);
  });
});
