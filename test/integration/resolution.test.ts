import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { defenderEvent } from '../support/defender-event.js';

let app: AppUnderTest;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest();
});
afterAll(async () => app?.close());

const DAY = 86_400_000;
const direct = (resourceId: string, assessmentKey: string, requestedBy = 'owner@contoso.com') => ({
  resourceId, assessmentKey, justification: 'Compensating control in place', requestedBy,
  expiresOn: new Date(Date.now() + 30 * DAY).toISOString(),
});
/** GETs of the MCSB initiative the simulated ARM has answered since it started (this whole file runs well inside the cache's five minutes). */
const mcsbFetches = () => app.sim.requests.filter((r) => r.method === 'GET' && r.path.toLowerCase().endsWith(`/policysetdefinitions/${SEED.mcsbSetDefinitionName}`));

describe('resolving a request', () => {
  it('an API request by assessment key gets the recommendation\'s portal link from ARM', async () => {
    const { resourceId, assessmentKey } = SEED.initiativeAndDirect;
    const response = await app.post('/api/exemption-requests', direct(resourceId, assessmentKey));
    expect(response.status).toBe(202);
    expect(response.json.recommendation).toMatchObject({ assessmentKey, policyDefinitionId: SEED.policies.jit, severity: 'High' });
    expect(response.json.recommendation.portalLink).toMatch(new RegExp(`^https://portal\\.azure\\.com/.*/assessmentKey/${assessmentKey}$`));
    const stored = (await app.get(`/api/exemption-requests/${response.json.id}`)).json;
    expect(stored.recommendation.portalLink).toBe(response.json.recommendation.portalLink);
    expect(app.sim.violations).toEqual([]);
  });

  it('ARM\'s link wins over the one a Defender event carries (whoever posts the event chooses that one)', async () => {
    const { resourceId, assessmentKey } = SEED.twoAssignments;
    const event = defenderEvent(resourceId, assessmentKey, { extra: { requestedBy: 'owner@contoso.com' } }) as { properties: { links: { azurePortal: string } } };
    event.properties.links.azurePortal = 'https://portal.azure.com/#view/SomethingElse';
    const response = await app.post('/api/exemption-requests', event);
    expect(response.status).toBe(202);
    expect(response.json.recommendation.portalLink).toMatch(new RegExp(`/assessmentKey/${assessmentKey}$`));
  });

  it('resolving many resources under the MCSB fetches the initiative once (process-wide cache)', async () => {
    const requests = [
      [SEED.resources.storageData, SEED.assessmentKeys.secureTransfer],
      [SEED.resources.storageProd, SEED.assessmentKeys.storageNetwork],
      [SEED.resources.storageProd, SEED.assessmentKeys.storageNetworkVnetRules],
      [SEED.resources.storageShared, SEED.assessmentKeys.storageNetwork],
      [SEED.resources.keyVaultProd, SEED.assessmentKeys.keyVaultSoftDelete],
      [SEED.resources.sqlDatabaseProd, SEED.assessmentKeys.sqlTde],
      [SEED.resources.vmSandbox, SEED.assessmentKeys.systemUpdates],
    ] as const;
    for (const [resourceId, assessmentKey] of requests) {
      const response = await app.post('/api/exemption-requests', direct(resourceId, assessmentKey));
      expect(response.status).toBe(202);
      // Each one really was resolved through the MCSB, so each needed the initiative.
      const viaMcsb = response.json.targets[0].assignments.find((a: { policyAssignmentId: string }) => a.policyAssignmentId.endsWith('/SecurityCenterBuiltIn'));
      expect(viaMcsb.policyDefinitionReferenceIds).toHaveLength(1);
    }
    expect(mcsbFetches()).toHaveLength(1);
    expect(mcsbFetches()[0]!.status).toBe(200);
  });
});
