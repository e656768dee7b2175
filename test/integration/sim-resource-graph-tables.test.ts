// Resource Graph's policy-assignment and resource-by-type queries on a scale seed, over real HTTPS:
// rows in ARM's shapes, paging past 1,000 rows with $skipToken, scope by subscriptions and by management
// group, refusal of every other shape, and stale rows under manual indexing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateScaleSeed, type SimSeed } from '../sim/index.js';
import { allPages, graphQuery } from '../unit/sim/graph-client.js';
import { startFixture, type SimFixture } from '../unit/sim/sim-fixture.js';

const ASSIGNMENTS = "policyresources | where type =~ 'microsoft.authorization/policyassignments' | project id, name, properties";
const RESOURCES = "resources | where type in~ ('microsoft.storage/storageaccounts', 'microsoft.sql/servers/databases') | project id";
const ASSIGNMENT_TYPE = 'Microsoft.Authorization/policyAssignments';
const SUBSCRIPTIONS = 1_050;

let f: SimFixture;
let seed: SimSeed;
let subs: string[];
const mgAssignment = '/providers/Microsoft.Management/managementGroups/scale-mg-0/providers/Microsoft.Authorization/policyAssignments/mg-audit';
let rgAssignment: string;
let sqlDatabases: string[];

const lower = (ids: readonly string[]) => ids.map((i) => i.toLowerCase()).sort();
const ids = async (request: Record<string, unknown>, top = 1000) =>
  (await allPages(f, request, top)).flatMap((p) => p.body.data.map((r) => r.id as string));

beforeAll(async () => {
  seed = generateScaleSeed({ subscriptions: SUBSCRIPTIONS, exemptions: 1_200, seed: 11 }).seed;
  subs = seed.subscriptions.map((s) => s.subscriptionId);
  rgAssignment = `/subscriptions/${subs[0]}/resourceGroups/rg-scale/providers/${ASSIGNMENT_TYPE}/rg-tags`;
  seed.policyAssignments.push(
    { id: mgAssignment, displayName: 'MG audit', policyDefinitionId: seed.policyDefinitions[0]!.id, notScopes: [`/subscriptions/${subs[5]}`] },
    { id: rgAssignment, displayName: 'RG tags', policyDefinitionId: seed.policyDefinitions[1]!.id },
  );
  for (const [i, sub] of [subs[0]!, subs[150]!].entries()) {
    seed.subscriptions.find((s) => s.subscriptionId === sub)!.resourceGroups[0]!.resources.push(
      { type: 'Microsoft.Sql/servers/databases', name: `sql${i}/db${i}` },
      { type: 'Microsoft.KeyVault/vaults', name: `kv${i}` },
    );
  }
  sqlDatabases = [
    `/subscriptions/${subs[0]}/resourceGroups/rg-scale/providers/Microsoft.Sql/servers/sql0/databases/db0`,
    `/subscriptions/${subs[150]}/resourceGroups/rg-scale/providers/Microsoft.Sql/servers/sql1/databases/db1`,
  ];
  f = await startFixture({ seed, resourceGraph: { quota: { limit: 100_000 } } });
});
afterAll(async () => f?.sim.close());
beforeEach(() => {
  f.sim.violations.length = 0;
  f.sim.resourceGraph.setIndexing('live');
});

const storageAccounts = () => seed.subscriptions.flatMap((s) => s.resourceGroups[0]!.resources
  .filter((r) => r.type === 'Microsoft.Storage/storageAccounts')
  .map((r) => `/subscriptions/${s.subscriptionId}/resourceGroups/rg-scale/providers/Microsoft.Storage/storageAccounts/${r.name}`));

describe('sim Resource Graph: policy assignments', () => {
  it('serves every assignment once, across pages of 1,000, in the rows ARM would give', async () => {
    const pages = await allPages(f, { query: ASSIGNMENTS }, 1000);
    expect(pages.length).toBe(2);
    expect(pages[0]!.body).toMatchObject({ totalRecords: SUBSCRIPTIONS + 2, count: 1000 });
    const rows = pages.flatMap((p) => p.body.data);
    expect(lower(rows.map((r) => r.id))).toEqual(lower(seed.policyAssignments.map((a) => a.id)));
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const r of rows) expect(Object.keys(r)).toEqual(['id', 'name', 'properties']);

    const mg = rows.find((r) => r.id === mgAssignment)!;
    expect(mg.name).toBe('mg-audit');
    expect(mg.properties).toMatchObject({
      displayName: 'MG audit', policyDefinitionId: seed.policyDefinitions[0]!.id,
      scope: '/providers/Microsoft.Management/managementGroups/scale-mg-0', notScopes: [`/subscriptions/${subs[5]}`],
    });
    // The same properties as ARM's own PolicyAssignments_Get.
    const arm = await f.rest.pathUnchecked(rgAssignment).get({ queryParameters: { 'api-version': '2025-03-01' } });
    expect(arm.status).toBe('200');
    expect(rows.find((r) => r.id === rgAssignment)!.properties).toEqual((arm.body as { properties: unknown }).properties);

    const full = (await graphQuery(f, { query: "PolicyResources | where type =~ \"Microsoft.Authorization/policyAssignments\"", subscriptions: [subs[0]] })).body.data;
    expect(full.find((r) => r.id === rgAssignment)).toMatchObject({
      type: 'microsoft.authorization/policyassignments', subscriptionId: subs[0], resourceGroup: 'rg-scale', tenantId: seed.tenantId,
    });
    expect(f.sim.violations).toEqual([]);
  });

  it('scopes by subscriptions (assignments at them and below) and by management group (incl. its own)', async () => {
    expect(lower(await ids({ query: ASSIGNMENTS, subscriptions: [subs[0], subs[1]] }))).toEqual(lower([
      `/subscriptions/${subs[0]}/providers/${ASSIGNMENT_TYPE}/SecurityCenterBuiltIn`,
      `/subscriptions/${subs[1]}/providers/${ASSIGNMENT_TYPE}/SecurityCenterBuiltIn`,
      rgAssignment,
    ]));
    const mg0 = await ids({ query: ASSIGNMENTS, managementGroups: ['scale-mg-0'] }, 40);
    expect(lower(mg0)).toEqual(lower([
      mgAssignment, rgAssignment,
      ...subs.slice(0, 100).map((s) => `/subscriptions/${s}/providers/${ASSIGNMENT_TYPE}/SecurityCenterBuiltIn`),
    ]));
    const mg1 = await ids({ query: ASSIGNMENTS, managementGroups: ['scale-mg-1'] }, 1000);
    expect(mg1).toHaveLength(100);
    expect(mg1).not.toContain(mgAssignment);
    expect(f.sim.violations).toEqual([]);
  });
});

describe('sim Resource Graph: resources by type', () => {
  it('serves every seeded resource of the listed types once, across pages, and nothing else', async () => {
    const pages = await allPages(f, { query: RESOURCES }, 1000);
    const expected = [...storageAccounts(), ...sqlDatabases];
    expect(expected.length).toBeGreaterThan(1000);
    expect(pages.length).toBe(2);
    const got = pages.flatMap((p) => p.body.data.map((r) => r.id as string));
    expect(lower(got)).toEqual(lower(expected));
    expect(new Set(got).size).toBe(got.length);
    expect(got.some((id) => /keyvault/i.test(id))).toBe(false);
    expect(f.sim.violations).toEqual([]);
  });

  it('matches types case-insensitively in either quote style; a nested type is named by its last segment', async () => {
    const r = await graphQuery(f, { query: `RESOURCES | where type in~ ("Microsoft.SQL/Servers/Databases") | project id, name, type, location, subscriptionId` });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual(sqlDatabases.map((id, i) => ({
      id, name: `db${i}`, type: 'microsoft.sql/servers/databases', location: 'westeurope', subscriptionId: id.split('/')[2],
    })));
    const vaults = await graphQuery(f, { query: "resources | where type in~ ('microsoft.keyvault/vaults', 'MICROSOFT.KEYVAULT/VAULTS')" });
    expect(vaults.body.data.map((x) => x.name)).toEqual(['kv0', 'kv1']);
    expect(f.sim.violations).toEqual([]);
  });

  it('scopes by subscriptions and by management group', async () => {
    const inSub0 = await ids({ query: RESOURCES, subscriptions: [subs[0]] });
    expect(lower(inSub0)).toEqual(lower([...storageAccounts().filter((i) => i.includes(subs[0]!)), sqlDatabases[0]!]));
    const inMg1 = await ids({ query: RESOURCES, managementGroups: ['scale-mg-1'] });
    const mg1Subs = new Set(subs.slice(100, 200).map((s) => s.toLowerCase()));
    expect(inMg1.length).toBeGreaterThan(0);
    expect(inMg1).toContain(sqlDatabases[1]);
    expect(inMg1.every((id) => mg1Subs.has(id.split('/')[2]!.toLowerCase()))).toBe(true);
    expect(f.sim.violations).toEqual([]);
  });
});

describe('sim Resource Graph: refusals stay', () => {
  it.each([
    ['=~ on resources', "resources | where type =~ 'microsoft.storage/storageaccounts' | project id"],
    ['in~ on policyresources', "policyresources | where type in~ ('microsoft.authorization/policyassignments') | project id"],
    ['an empty in~ list', 'resources | where type in~ () | project id'],
    ['an empty type literal', "resources | where type in~ ('', 'microsoft.storage/storageaccounts')"],
    ['in (case-sensitive) instead of in~', "resources | where type in ('microsoft.storage/storageaccounts')"],
    ['a projection without id', "policyresources | where type =~ 'microsoft.authorization/policyassignments' | project name, properties"],
    ['more KQL', `${RESOURCES} | summarize count() by subscriptionId`],
    ['another policyresources type', "policyresources | where type =~ 'microsoft.authorization/policydefinitions'"],
  ])('refuses %s with 400 InvalidQuery, recorded as a violation', async (_, query) => {
    const r = await graphQuery(f, { query });
    expect(r.status).toBe(400);
    expect(r.body.error?.details?.[0]?.code).toBe('InvalidQuery');
    expect(f.sim.violations).toHaveLength(1);
    expect(f.sim.violations[0]).toMatchObject({ kind: 'request', operationId: 'Resources' });
  });

  it('refuses a $skipToken of one table on another', async () => {
    const first = await graphQuery(f, { query: RESOURCES, options: { $top: 5 } });
    const token = first.body.$skipToken!;
    expect(token).toBeDefined();
    const other = await graphQuery(f, { query: "resources | where type in~ ('microsoft.storage/storageaccounts') | project id", options: { $top: 5, $skipToken: token } });
    expect(other.status).toBe(400);
    expect((await graphQuery(f, { query: RESOURCES, options: { $top: 5, $skipToken: token } })).status).toBe(200);
    f.sim.violations.length = 0;
  });
});

describe('sim Resource Graph: stale assignment and resource rows', () => {
  const q = { queryParameters: { 'api-version': '2025-03-01' } };

  it('manual indexing serves an assignment deleted through ARM until refresh(); live indexing drops it at once', async () => {
    const victim = `/subscriptions/${subs[3]}/providers/${ASSIGNMENT_TYPE}/SecurityCenterBuiltIn`;
    const other = `/subscriptions/${subs[4]}/providers/${ASSIGNMENT_TYPE}/SecurityCenterBuiltIn`;
    const scoped = (sub: string) => ({ query: ASSIGNMENTS, subscriptions: [sub] });
    f.sim.resourceGraph.setIndexing('manual');
    const deleted = await f.rest.pathUnchecked(victim).delete(q);
    expect(deleted.status).toBe('200');
    expect((deleted.body as { id: string }).id).toBe(victim);
    expect((await f.rest.pathUnchecked(victim).get(q)).status).toBe('404');
    expect((await f.rest.pathUnchecked(victim).delete(q)).status).toBe('204');
    expect(await ids(scoped(subs[3]!))).toEqual([victim]);
    f.sim.resourceGraph.refresh();
    expect(await ids(scoped(subs[3]!))).toEqual([]);

    f.sim.resourceGraph.setIndexing('live');
    expect(await ids(scoped(subs[4]!))).toEqual([other]);
    expect((await f.rest.pathUnchecked(other).delete(q)).status).toBe('200');
    expect(await ids(scoped(subs[4]!))).toEqual([]);
    expect(f.sim.violations).toEqual([]);
  });

  it('manual indexing serves a resource removed out of band until refresh(); ARM forgets it at once', async () => {
    const sub = subs.find((s) => storageAccounts().filter((i) => i.includes(s)).length >= 2)!;
    const [victim, other] = storageAccounts().filter((i) => i.includes(sub));
    const scoped = { query: RESOURCES, subscriptions: [sub] };
    const armScope = (id: string) => f.rest.pathUnchecked(`${id}/providers/Microsoft.Security/assessments`).get({ queryParameters: { 'api-version': '2021-06-01' } });
    f.sim.resourceGraph.setIndexing('manual');
    expect((await armScope(victim!)).status).toBe('200');
    expect(f.sim.removeResource(victim!)).toBe(true);
    expect(f.sim.removeResource(victim!)).toBe(false);
    expect((await armScope(victim!)).status).toBe('404');
    expect(await ids(scoped)).toContain(victim);
    f.sim.resourceGraph.refresh();
    expect(await ids(scoped)).not.toContain(victim);

    f.sim.resourceGraph.setIndexing('live');
    expect(await ids(scoped)).toContain(other);
    f.sim.removeResource(other!);
    expect(await ids(scoped)).not.toContain(other);
    expect(f.sim.violations).toEqual([]);
  });
});

describe('sim Resource Graph: subscriptions in resourcecontainers', () => {
  const CONTAINERS = "resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | project id, subscriptionId, properties";

  it('serves one row per subscription, with its management groups nearest first and the tenant root group last', async () => {
    const pages = await allPages(f, { query: CONTAINERS }, 1000);
    expect(pages.length).toBe(2);
    const rows = pages.flatMap((p) => p.body.data);
    expect(lower(rows.map((r) => r.subscriptionId))).toEqual(lower(subs));
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(['id', 'subscriptionId', 'properties']);
      expect(r.id).toBe(`/subscriptions/${r.subscriptionId}`);
      const group = seed.managementGroups!.find((g) => g.subscriptionIds.includes(r.subscriptionId))!;
      expect(r.properties.managementGroupAncestorsChain).toEqual([
        { name: group.name, displayName: group.displayName },
        { name: seed.tenantId, displayName: 'Tenant Root Group' },
      ]);
    }

    const full = (await graphQuery(f, { query: "ResourceContainers | where type =~ \"Microsoft.Resources/subscriptions\"", subscriptions: [subs[7]] })).body.data;
    const seeded = seed.subscriptions.find((s) => s.subscriptionId === subs[7])!;
    expect(full).toEqual([expect.objectContaining({
      id: `/subscriptions/${subs[7]}`, name: seeded.displayName, type: 'microsoft.resources/subscriptions',
      tenantId: seed.tenantId, subscriptionId: subs[7], resourceGroup: '',
    })]);
    expect(f.sim.violations).toEqual([]);
  });

  it('refuses other resourcecontainers types and unprojected ids, as for the other tables', async () => {
    for (const query of [
      "resourcecontainers | where type =~ 'microsoft.resources/subscriptions/resourcegroups'",
      "resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | project subscriptionId, properties",
      "resourcecontainers | where type in~ ('microsoft.resources/subscriptions')",
    ]) {
      const answer = await graphQuery(f, { query });
      expect(answer.status, query).toBe(400);
      expect(answer.body.error?.details?.map((d) => d.code)).toContain('InvalidQuery');
    }
  });
});
