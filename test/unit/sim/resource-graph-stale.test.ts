// Resource Graph lags ARM. In manual indexing the sim serves the snapshot of its last refresh, so a row
// can outlive the exemption ARM deleted; in live indexing (the default) it follows ARM at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitExtensionId } from '../../sim/state/scope.js';
import { EXEMPTIONS_QUERY, graphQuery } from './graph-client.js';
import { EXEMPTION_API, exemptionPath, startFixture, type SimFixture } from './sim-fixture.js';

const TYPE = 'Microsoft.Authorization/policyExemptions';

describe('sim Resource Graph: stale rows', () => {
  let f: SimFixture;
  beforeAll(async () => { f = await startFixture({ resourceGraph: { quota: { limit: 10_000 } } }); });
  afterAll(async () => { await f.sim.close(); });

  const graphIds = async () => (await graphQuery(f, { query: EXEMPTIONS_QUERY, options: { $top: 1000 } })).body.data.map((r) => r.id as string);
  const armPath = (id: string) => {
    const { scope, name } = splitExtensionId(id, TYPE)!;
    return exemptionPath(f, scope, name);
  };
  const q = { queryParameters: { 'api-version': EXEMPTION_API } };

  it('manual indexing serves a deleted exemption until refresh()', async () => {
    const victim = f.sim.exemptions()[0]!.id;
    f.sim.resourceGraph.setIndexing('manual');
    expect((await armPath(victim).delete(q)).status).toBe('200');
    expect((await armPath(victim).get(q)).status).toBe('404');
    expect(await graphIds()).toContain(victim);

    f.sim.resourceGraph.refresh();
    expect(await graphIds()).not.toContain(victim);
  });

  it('manual indexing keeps the indexed copy of a row changed since', async () => {
    const [e] = f.sim.exemptions();
    f.sim.resourceGraph.setIndexing('manual');
    const patched = await armPath(e!.id).patch({ ...q, body: { properties: { assignmentScopeValidation: 'DoNotValidate' } } });
    expect(patched.status).toBe('200');
    const row = async () => (await graphQuery(f, { query: EXEMPTIONS_QUERY })).body.data.find((r) => r.id === e!.id)!;
    expect((await row()).properties.assignmentScopeValidation).toBe('Default');
    f.sim.resourceGraph.refresh();
    expect((await row()).properties.assignmentScopeValidation).toBe('DoNotValidate');
  });

  it('live indexing follows ARM deletes at once', async () => {
    f.sim.resourceGraph.setIndexing('live');
    const victim = f.sim.exemptions()[0]!.id;
    expect(await graphIds()).toContain(victim);
    expect((await armPath(victim).delete(q)).status).toBe('200');
    expect(await graphIds()).not.toContain(victim);
    expect(f.sim.violations).toEqual([]);
  });
});
