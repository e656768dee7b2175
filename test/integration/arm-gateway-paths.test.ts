import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArmError } from '../../lib/azure/arm-error.js';
import { AzureArmGateway } from '../../lib/azure/azure-arm-gateway.js';
import type { PolicyExemptionProperties } from '../../lib/azure/policy-exemption.js';
import { formatResourceId, readResourceId } from '../../lib/azure/resource-id.js';
import { SEED } from '../sim/seed-ids.js';
import { hostileText, resourceScope } from '../support/arm-id-arbitraries.js';
import { startFixture, type SimFixture } from '../unit/sim/sim-fixture.js';

let f: SimFixture;
let gateway: AzureArmGateway;
beforeAll(async () => {
  f = await startFixture();
  gateway = new AzureArmGateway({ endpoint: f.sim.armEndpoint, credential: f.credential, retry: { maxRetries: 0 } });
});
afterAll(async () => f?.sim.close());

const EXEMPTION_TYPE = '/providers/Microsoft.Authorization/policyExemptions/';
const PROPERTIES: PolicyExemptionProperties = {
  policyAssignmentId: SEED.assignments.mcsbProduction,
  exemptionCategory: 'Waiver',
  expiresOn: '2030-01-31T00:00:00Z',
  displayName: 'property test',
  description: 'property test',
  metadata: { requestedBy: 'a@contoso.com', approvedBy: 'b@contoso.com', approvedOn: '2026-11-01T00:00:00Z', ticketRef: '', requestId: 'prop', managedBy: 'exemption-broker' },
};

/** The scope the simulated ARM was asked to exempt, as the server decodes the raw request path. */
function scopeOfLastPut(): { raw: string; scope: string } {
  const put = f.sim.requests.at(-1)!;
  expect(put.method).toBe('PUT');
  const decoded = put.path.split('/').map(decodeURIComponent).join('/');
  return { raw: put.path, scope: decoded.slice(0, decoded.indexOf(EXEMPTION_TYPE)) };
}

async function put(scope: string): Promise<void> {
  try {
    await gateway.putExemption(scope, 'eb-property', PROPERTIES);
  } catch (error) {
    // The generated scopes do not exist in the simulated tenant: ARM's 404 is expected, the path is what counts.
    if (!(error instanceof ArmError) || error.status !== 404) throw error;
  }
}

describe('putExemption sends the PUT to exactly the scope it was given', () => {
  it('creates the exemption at a real resource, where the simulated ARM names it', async () => {
    const id = await gateway.putExemption(SEED.resources.storageProd, 'eb-property', PROPERTIES);
    expect(id).toBe(`${SEED.resources.storageProd}${EXEMPTION_TYPE}eb-property`);
    expect(scopeOfLastPut().scope).toBe(SEED.resources.storageProd);
  });

  it('for any accepted id, the decoded request path is that id and the raw path has no dot segments', async () => {
    await fc.assert(fc.asyncProperty(resourceScope, async (scope) => {
      const id = formatResourceId(scope);
      await put(id);
      const sent = scopeOfLastPut();
      expect(sent.scope).toBe(id);
      expect(sent.raw.split('/').some((s) => s === '.' || s === '..')).toBe(false);
    }), { numRuns: 60 });
  });

  it('arbitrary text is refused before any request, or sent to exactly the scope it names', async () => {
    await fc.assert(fc.asyncProperty(hostileText, async (text) => {
      const before = f.sim.requests.length;
      const read = readResourceId(text);
      if (!read.ok) {
        await expect(gateway.putExemption(text, 'eb-property', PROPERTIES)).rejects.toMatchObject({ code: 'InvalidScope' });
        expect(f.sim.requests.length).toBe(before);
        return;
      }
      await put(text);
      expect(scopeOfLastPut().scope.toLowerCase()).toBe(text.replace(/\/$/, '').toLowerCase());
    }), { numRuns: 300 });
  });
});

describe('read calls built from parsed parts still reach the simulated routes', () => {
  it('lists assignments above a child resource (parent path and type sent as encoded segments)', async () => {
    const ids = (await gateway.listAssignmentsAbove(SEED.resources.sqlDatabaseProd)).map((a) => a.id);
    expect(ids).toContain(SEED.assignments.mcsbProduction);
    expect(f.sim.requests.at(-1)).toMatchObject({ operationId: 'PolicyAssignments_ListForResource', status: 200 });
  });

  it('reads an assessment on a child resource and assignments at a management group and a resource group', async () => {
    expect((await gateway.getAssessment(SEED.resources.sqlDatabaseProd, SEED.assessmentKeys.sqlTde))?.id.toLowerCase())
      .toBe(`${SEED.resources.sqlDatabaseProd}/providers/Microsoft.Security/assessments/${SEED.assessmentKeys.sqlTde}`.toLowerCase());
    expect((await gateway.getAssignment(SEED.assignments.allowedLocationsMg))?.id).toBe(SEED.assignments.allowedLocationsMg);
    expect((await gateway.getAssignment(SEED.assignments.storageBaselineRg))?.id).toBe(SEED.assignments.storageBaselineRg);
  });

  it('lists security contacts from segments, and refuses a subscription id that is not a GUID without calling ARM', async () => {
    expect(await gateway.listSecurityContactEmails(SEED.subscriptions.production)).toEqual(SEED.contactEmails[SEED.subscriptions.production]);
    const before = f.sim.requests.length;
    await expect(gateway.listSecurityContactEmails('../../providers')).rejects.toMatchObject({ code: 'InvalidSubscriptionId' });
    expect(f.sim.requests.length).toBe(before);
  });
});
