// Resource Graph's securityresources rows of type microsoft.security/standardassignments: every effect,
// in the 2024-08-01 shape, scoped like the other tables, live by default and frozen in manual indexing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFENDER, SEED } from '../../sim/seed-ids.js';
import { graphQuery } from './graph-client.js';
import { ARM_SCOPE, startFixture, type SimFixture } from './sim-fixture.js';

const QUERY = "securityresources | where type =~ 'microsoft.security/standardassignments' | project id, name, properties";
const S1 = DEFENDER.azureResource.split('/')[2]!;

describe('sim Resource Graph: standard assignments', () => {
  let f: SimFixture;
  beforeAll(async () => { f = await startFixture({ resourceGraph: { quota: { limit: 10_000 } } }); });
  afterAll(async () => { await f.sim.close(); });

  const rows = async (body: Record<string, unknown> = {}) => (await graphQuery(f, { query: QUERY, ...body })).body.data;

  it('serves the seeded assignments, Audit and Exempt alike, with their exemption data', async () => {
    const byId = new Map((await rows()).map((r) => [r.id as string, r]));
    expect([...byId.keys()].sort()).toEqual([
      DEFENDER.standardAssignments.subscription, DEFENDER.standardAssignments.awsConnector,
      DEFENDER.standardExemptions.unmanagedKeyVault, DEFENDER.standardExemptions.expiredStorage,
    ].sort());
    expect(byId.get(DEFENDER.standardAssignments.subscription)!.properties.effect).toBe('Audit');
    expect(byId.get(DEFENDER.standardExemptions.expiredStorage)!.properties).toMatchObject({
      effect: 'Exempt', expiresOn: '2025-03-31T00:00:00Z',
      exemptionData: { exemptionCategory: 'mitigated', assignedAssessment: { assessmentKey: DEFENDER.nativeAssessmentKey } },
      assignedStandard: { id: `/providers/Microsoft.Security/Standards/${DEFENDER.standardName}` },
    });
    expect(Object.keys(byId.get(DEFENDER.standardExemptions.unmanagedKeyVault)!)).toEqual(['id', 'name', 'properties']);
  });

  it('is scoped by subscription like every table', async () => {
    expect(await rows({ subscriptions: [S1] })).toHaveLength(4);
    expect(await rows({ subscriptions: [SEED.subscriptions.shared] })).toEqual([]);
  });

  it('in manual indexing serves the snapshot of the last refresh (live indexing, the default, reads the current ones)', async () => {
    const victim = DEFENDER.standardExemptions.unmanagedKeyVault;
    const ids = async () => (await rows()).map((r) => r.id as string);
    f.sim.resourceGraph.setIndexing('manual');
    const { token } = (await f.credential.getToken(ARM_SCOPE))!;
    const deleted = await fetch(`${f.sim.armEndpoint}${victim}?api-version=2024-08-01`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(deleted.status).toBe(200);
    expect(f.sim.standardAssignments().map((a) => a.id)).not.toContain(victim);
    expect(await ids()).toContain(victim);
    f.sim.resourceGraph.refresh();
    expect(await ids()).not.toContain(victim);
    f.sim.resourceGraph.setIndexing('live');
  });
});
