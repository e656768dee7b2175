// The sweep where it can do harm: deleting expired exemptions (only managed ones, only after the
// configured days, only what ARM confirms), stale Resource Graph rows, an exhausted quota and 429s,
// and a partial failure that must not cost the rest of the estate.
import { ClientSecretCredential } from '@azure/identity';
import { afterEach, describe, expect, it } from 'vitest';
import { ArmRestClient } from '../../lib/azure/arm-rest-client.js';
import { POLICY_EXEMPTIONS_API_VERSION } from '../../lib/azure/policy-exemption.js';
import type { SweepFinding, SweepRun } from '../../lib/sweep/model.js';
import { allFindings, startSweepHarness, type SweepHarness } from '../support/sweep-harness.js';

let h: SweepHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function arm(harness: SweepHarness): ArmRestClient {
  const { tenantId, clientId, clientSecret } = harness.sim.credentials;
  const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { authorityHost: harness.sim.authorityHost, disableInstanceDiscovery: true });
  return new ArmRestClient({ endpoint: harness.sim.armEndpoint, credential });
}

const segments = (id: string) => id.split('/').filter(Boolean);
const deletes = (harness: SweepHarness) => harness.sim.requests.filter((r) => r.method === 'DELETE').map((r) => decodeURIComponent(r.path).toLowerCase());

async function run(harness: SweepHarness): Promise<{ run: SweepRun; findings: SweepFinding[] }> {
  const outcome = await harness.sweep();
  if (outcome.kind !== 'finished') throw new Error('sweep did not run');
  return { run: outcome.run, findings: await allFindings(await harness.app.sweepStore(), outcome.run.id) };
}

async function stateOf(harness: SweepHarness, requestId: string) {
  return (await (await harness.app.store()).get(requestId))?.value.state;
}

describe('sweep safety', () => {
  it('deletes only managed exemptions expired longer than SWEEP_DELETE_EXPIRED_AFTER_DAYS, and never on a stale row', async () => {
    h = await startSweepHarness({ env: { SWEEP_DELETE_EXPIRED_AFTER_DAYS: '1' } });
    const client = arm(h);
    const live = h.sim.exemptions();
    const expired = h.world.exemptionsByKind.expired.map((id) => live.find((e) => e.id === id)!);
    const longAgo = expired.filter((e) => Date.parse(e.properties.expiresOn!) < h!.now() - 86_400_000);
    expect(longAgo.length).toBeGreaterThan(1);
    // An unmanaged exemption, expired long ago: reported, never deleted.
    const unmanagedId = `${expired[0]!.id.split('/providers/Microsoft.Authorization/')[0]}/providers/Microsoft.Authorization/policyExemptions/made-by-hand`;
    await client.send('PUT', segments(unmanagedId), POLICY_EXEMPTIONS_API_VERSION, {
      properties: { policyAssignmentId: expired[0]!.properties.policyAssignmentId, exemptionCategory: 'Waiver', expiresOn: '2025-01-01T00:00:00Z' },
    });
    h.sim.resourceGraph.refresh();
    h.sim.resourceGraph.setIndexing('manual');
    // Renewed through ARM after Resource Graph indexed it: the stale row still says expired.
    const renewed = longAgo[0]!;
    await client.send('PUT', segments(renewed.id), POLICY_EXEMPTIONS_API_VERSION, { properties: { ...renewed.properties, expiresOn: '2099-01-01T00:00:00Z' } });

    const { findings } = await run(h);
    const deleted = deletes(h);
    const renewedRequest = h.world.requestsByKind.expired[h.world.exemptionsByKind.expired.indexOf(renewed.id)]!;
    expect(deleted.some((path) => path.includes(renewed.id.toLowerCase()))).toBe(false);
    expect(await stateOf(h, renewedRequest)).toBe('applied');
    expect(deleted.some((path) => path.includes('made-by-hand'))).toBe(false);
    expect(findings.some((f) => f.kind === 'expired' && f.subject.toLowerCase() === unmanagedId.toLowerCase() && f.action === 'none')).toBe(true);
    for (const exemption of longAgo.slice(1)) {
      expect(deleted.some((path) => path.endsWith(exemption.id.toLowerCase())), exemption.id).toBe(true);
      const requestId = h.world.requestsByKind.expired[h.world.exemptionsByKind.expired.indexOf(exemption.id)]!;
      expect(await stateOf(h, requestId)).toBe('removed');
      expect(findings.find((f) => f.subject === exemption.id && f.kind === 'expired')?.action).toBe('deleted');
    }
    const recent = expired.filter((e) => !longAgo.includes(e));
    for (const exemption of recent) expect(deleted.some((path) => path.endsWith(exemption.id.toLowerCase()))).toBe(false);
    expect(h.sim.exemptions().some((e) => e.id === longAgo[1]!.id)).toBe(false);
    expect(h.sim.violations).toEqual([]);
  });

  it('waits out an exhausted Resource Graph quota and a 429 instead of failing or skipping pages', async () => {
    h = await startSweepHarness({ sim: { resourceGraph: { quota: { limit: 2 } } } });
    h.sim.faults.add({ operationId: 'Resources', kind: 'error', status: 429, code: 'RateLimiting', retryAfterSeconds: 3, times: 1 });
    const { run: record } = await run(h);
    expect(record.status).toBe('succeeded');
    expect(record.calls.throttled).toBeGreaterThanOrEqual(1);
    expect(record.calls.waitedMs).toBeGreaterThan(0);
    expect(record.counts.exemptions).toBe(h.world.scale.seed.exemptions!.length);
    expect(record.counts.byKind.defenderMismatch).toBeGreaterThan(0);
  });

  it('a subscription that cannot be listed costs only itself: the others are swept, nothing there is called deleted', async () => {
    h = await startSweepHarness();
    const failing = h.world.deletedExemptionId.split('/')[2]!;
    h.sim.faults.add({ operationId: 'Resources', kind: 'error', status: 403, code: 'AuthorizationFailed', times: 50 });
    h.sim.faults.add({ operationId: 'PolicyExemptions_List', pathIncludes: failing, kind: 'error', status: 500, code: 'InternalServerError', times: 50 });
    const { run: record, findings } = await run(h);
    expect(record.status).toBe('partial');
    expect(record.source).toBe('rest');
    expect(record.errors.join('\n')).toContain(failing);
    const inFailing = h.world.scale.seed.exemptions!.filter((e) => e.scope.includes(failing)).length;
    expect(inFailing).toBeGreaterThan(0);
    expect(record.counts.exemptions).toBe(h.world.scale.seed.exemptions!.length - inFailing);
    // Only the request store speaks of it (the stuck request lives there); no exemption finding does.
    expect(findings.filter((f) => f.subscriptionId === failing).map((f) => f.kind)).toEqual(['stuck']);
    expect(findings.filter((f) => f.kind === 'expired').length).toBeGreaterThan(0);
    expect(findings.some((f) => f.kind === 'deletedOutOfBand')).toBe(false);
    expect(await stateOf(h, h.world.deletedRequestId)).toBe('applied');
  });
});
