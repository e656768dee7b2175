import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScaleSeed, type ScaleSeed } from '../../sim/index.js';
import { allPages, ASSESSMENTS_QUERY, EXEMPTIONS_QUERY, graphQuery } from './graph-client.js';
import { startFixture, type SimFixture } from './sim-fixture.js';

const ids = (pages: Array<{ body: { data: Array<Record<string, any>> } }>) => pages.flatMap((p) => p.body.data.map((r) => String(r.id)));
const exemptionId = (e: { scope: string; name: string }) => `${e.scope}/providers/Microsoft.Authorization/policyExemptions/${e.name}`;

describe('sim Resource Graph: paging, scope and row shapes', () => {
  let f: SimFixture;
  let scale: ScaleSeed;
  beforeAll(async () => {
    scale = generateScaleSeed({ subscriptions: 150, exemptions: 2345, seed: 7 });
    // Quota is tested on its own; here it must not get in the way.
    f = await startFixture({ seed: scale.seed, resourceGraph: { quota: { limit: 10_000 } } });
  });
  afterAll(async () => { await f.sim.close(); });

  it('pages through every exemption exactly once, with totalRecords and count consistent', async () => {
    const pages = await allPages(f, { query: EXEMPTIONS_QUERY }, 1000);
    expect(pages.map((p) => p.body.count)).toEqual([1000, 1000, 345]);
    expect(pages.every((p) => p.body.totalRecords === 2345 && p.body.count === p.body.data.length)).toBe(true);
    const got = ids(pages);
    expect(new Set(got).size).toBe(got.length);
    expect(new Set(got.map((i) => i.toLowerCase()))).toEqual(new Set(scale.seed.exemptions!.map((e) => exemptionId(e).toLowerCase())));
    expect(pages.at(-1)!.body.$skipToken).toBeUndefined();
  });

  it('concurrent pagings with different page sizes each see every row exactly once', async () => {
    const [a, b] = await Promise.all([allPages(f, { query: EXEMPTIONS_QUERY }, 333), allPages(f, { query: EXEMPTIONS_QUERY }, 1000)]);
    expect(ids(a)).toHaveLength(2345);
    expect(ids(a)).toEqual(ids(b));
  });

  it('scopes to the given subscriptions, or to the subscriptions under a management group', async () => {
    const [s0, s1] = scale.seed.subscriptions.map((s) => s.subscriptionId);
    const inSubs = (subs: string[]) => scale.seed.exemptions!.filter((e) => subs.some((s) => e.scope.startsWith(`/subscriptions/${s}/`))).length;
    const bySub = await allPages(f, { query: EXEMPTIONS_QUERY, subscriptions: [s0, s1] }, 1000);
    expect(ids(bySub)).toHaveLength(inSubs([s0!, s1!]));
    expect(bySub.flatMap((p) => p.body.data).every((r) => r.subscriptionId === s0 || r.subscriptionId === s1)).toBe(true);

    const group = scale.seed.managementGroups![1]!;
    const byGroup = await allPages(f, { query: EXEMPTIONS_QUERY, managementGroups: [group.name] }, 1000);
    expect(ids(byGroup)).toHaveLength(inSubs(group.subscriptionIds));
    expect(byGroup[0]!.body.totalRecords).toBe(inSubs(group.subscriptionIds));
  });

  it('answers exemption rows in Resource Graph shape, and `project` keeps only the named columns', async () => {
    const selfServe = scale.seed.exemptions![scale.byKind.selfServe[0]!]!;
    const page = await graphQuery(f, { query: EXEMPTIONS_QUERY, subscriptions: [selfServe.scope.split('/')[2]], options: { $top: 1000 } });
    const row = page.body.data.find((r) => r.name === selfServe.name)!;
    expect(row).toMatchObject({
      id: exemptionId(selfServe), type: 'microsoft.authorization/policyexemptions', resourceGroup: 'rg-scale',
      subscriptionId: selfServe.scope.split('/')[2], tenantId: scale.seed.tenantId,
      properties: { policyAssignmentId: selfServe.policyAssignmentId, exemptionManagementMode: 'UserSelfServe', exemptionCategory: selfServe.exemptionCategory },
    });
    const projected = await graphQuery(f, { query: `${EXEMPTIONS_QUERY} | project id, name, properties`, options: { $top: 5 } });
    expect(projected.status).toBe(200);
    expect(projected.body.data.map((r) => Object.keys(r))).toEqual(Array(5).fill(['id', 'name', 'properties']));
  });

  it('answers assessment rows with resourceDetails.Id and status, paged like exemptions', async () => {
    const pages = await allPages(f, { query: ASSESSMENTS_QUERY }, 1000);
    expect(ids(pages)).toHaveLength(scale.seed.assessments.length);
    const mismatch = scale.seed.exemptions![scale.byKind.assessmentMismatch[0]!]!;
    const row = pages.flatMap((p) => p.body.data).find((r) => r.properties.resourceDetails.Id === mismatch.scope)!;
    expect(row).toMatchObject({ type: 'microsoft.security/assessments', properties: { status: { code: 'Unhealthy' }, resourceDetails: { Source: 'Azure' } } });
    expect(f.sim.violations).toEqual([]);
  });
});
