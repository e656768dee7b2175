import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXEMPTIONS_QUERY, graphQuery } from './graph-client.js';
import { startFixture, type SimFixture } from './sim-fixture.js';

describe('sim Resource Graph: what it refuses', () => {
  let f: SimFixture;
  beforeAll(async () => { f = await startFixture({ resourceGraph: { quota: { limit: 10_000 } } }); });
  afterAll(async () => { await f.sim.close(); });
  beforeEach(() => { f.sim.violations.length = 0; });

  it.each([
    ['another table', 'Resources | project id, name'],
    ['another type', "policyresources | where type =~ 'microsoft.authorization/policydefinitions'"],
    ['a mismatched table and type', "securityresources | where type =~ 'microsoft.authorization/policyexemptions'"],
    ['more KQL than supported', `${EXEMPTIONS_QUERY} | summarize count() by subscriptionId`],
    ['an extra filter', `${EXEMPTIONS_QUERY} | where properties.expiresOn < now()`],
    ['a projection without id', `${EXEMPTIONS_QUERY} | project name, properties`],
    ['an unknown column', `${EXEMPTIONS_QUERY} | project id, expiresOn`],
    ['a name filter on another source', "policyresources | where type =~ 'microsoft.authorization/policyexemptions' and name =~ 'x' | project id"],
    ['an empty name filter', "securityresources | where type =~ 'microsoft.security/assessments' and name =~ '' | project id"],
    ['a filter on another column', "securityresources | where type =~ 'microsoft.security/assessments' and id =~ 'x' | project id"],
  ])('refuses %s with 400 InvalidQuery in the error shape, recorded as a violation', async (_, query) => {
    const r = await graphQuery(f, { query });
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe('BadRequest');
    expect(r.body.error?.details?.[0]?.code).toBe('InvalidQuery');
    expect(f.sim.violations).toHaveLength(1);
    expect(f.sim.violations[0]).toMatchObject({ kind: 'request', operationId: 'Resources' });
  });

  it('serves one recommendation\'s assessments, Azure and multicloud, for a name filter', async () => {
    const key = '3b9c2e7a-5d41-4f8e-a6b2-9c7d1e0f4a58';
    const r = await graphQuery(f, { query: `securityresources | where type =~ 'microsoft.security/assessments' and name =~ "${key.toUpperCase()}" | project id, properties` });
    expect(r.status).toBe(200);
    const rows = r.body.data as Array<{ id: string; properties: { resourceDetails: { Source: string } } }>;
    expect(rows.map((row) => row.id.toLowerCase().endsWith(`/providers/microsoft.security/assessments/${key}`))).toEqual([true, true]);
    expect(rows.map((row) => row.properties.resourceDetails.Source).sort()).toEqual(['AWS', 'Azure']);
    expect(f.sim.violations).toEqual([]);
  });

  it('accepts the supported shapes regardless of case, spacing and quote style', async () => {
    for (const query of [
      'PolicyResources|where type=~"Microsoft.Authorization/policyExemptions"',
      "  securityresources\n| where type =~ 'microsoft.security/assessments' | project id, properties ",
    ]) expect((await graphQuery(f, { query })).status, query).toBe(200);
    expect(f.sim.violations).toEqual([]);
  });

  it.each([
    ['$top above 1000', { query: EXEMPTIONS_QUERY, options: { $top: 1001 } }],
    ['no query', { subscriptions: [] }],
    ['an unknown resultFormat', { query: EXEMPTIONS_QUERY, options: { resultFormat: 'csv' } }],
    ['an undeclared member', { query: EXEMPTIONS_QUERY, options: { top: 10 } }],
  ])('refuses a body that fails the spec (%s) with 400 InvalidRequestContent', async (_, body) => {
    const r = await graphQuery(f, body);
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe('InvalidRequestContent');
    expect(f.sim.violations.map((v) => v.kind)).toEqual(['request']);
  });

  it('refuses skip tokens that were edited, forged or belong to another query', async () => {
    const first = await graphQuery(f, { query: EXEMPTIONS_QUERY, options: { $top: 1 } });
    const token = first.body.$skipToken!;
    expect(token).toBeDefined();
    const [body, sig] = token.split('.');
    const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), after: '' })).toString('base64url');
    for (const bad of [`${edited}.${sig}`, 'not-a-token']) {
      const r = await graphQuery(f, { query: EXEMPTIONS_QUERY, options: { $skipToken: bad } });
      expect(r.status).toBe(400);
      expect(r.body.error?.details?.[0]?.code).toBe('InvalidSkipToken');
    }
    const other = await graphQuery(f, { query: `${EXEMPTIONS_QUERY} | project id`, options: { $skipToken: token } });
    expect(other.status).toBe(400);
    expect(other.body.error?.details?.[0]?.message).toMatch(/different query/);
    const good = await graphQuery(f, { query: EXEMPTIONS_QUERY, options: { $top: 1, $skipToken: token } });
    expect(good.status).toBe(200);
    expect(good.body.data[0]!.id).not.toBe(first.body.data[0]!.id);
  });

  it('refuses subscriptions and management groups the caller cannot see, unless partial scopes are allowed', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await graphQuery(f, { query: EXEMPTIONS_QUERY, subscriptions: [unknown] })).status).toBe(400);
    expect((await graphQuery(f, { query: EXEMPTIONS_QUERY, managementGroups: ['nope'] })).status).toBe(400);
    const partial = await graphQuery(f, { query: EXEMPTIONS_QUERY, subscriptions: [unknown], options: { allowPartialScopes: true } });
    expect(partial.status).toBe(200);
    expect(partial.body.totalRecords).toBe(0);
  });
});
