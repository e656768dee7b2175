// The nightly sweep end to end on a seeded estate: every finding kind, the actions on managed
// exemptions, idempotence across runs, dry runs, and the digest. Real stores (Azurite), real SDK
// clients against the simulated tenant, one virtual clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExemptionRequest } from '../../lib/requests/model.js';
import { FINDING_KINDS, type SweepFinding, type SweepRun } from '../../lib/sweep/model.js';
import { DIGEST_TO, startSweepHarness, type SweepHarness } from '../support/sweep-harness.js';
import { WORLD_REQUESTER } from '../support/sweep-world.js';

let h: SweepHarness;
beforeAll(async () => {
  h = await startSweepHarness();
});
afterAll(async () => h?.close());

async function requestState(id: string): Promise<ExemptionRequest['state'] | undefined> {
  return (await (await h.app.store()).get(id))?.value.state;
}

async function findingsOf(run: SweepRun): Promise<SweepFinding[]> {
  const store = await h.app.sweepStore();
  const all: SweepFinding[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await store.runFindings(run.id, {}, { size: 1000, ...(continuationToken ? { continuationToken } : {}) });
    all.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return all;
}

const writes = () => h.sim.requests.filter((r) => r.method !== 'GET' && !r.operationId?.startsWith('Entra_') && !/Microsoft\.ResourceGraph/i.test(r.path));

async function finished(order: Parameters<SweepHarness['sweep']>[0] = {}): Promise<SweepRun> {
  const outcome = await h.sweep(order);
  if (outcome.kind !== 'finished') throw new Error(`sweep did not run: ${outcome.kind}`);
  return outcome.run;
}

describe('the nightly sweep on a seeded estate', () => {
  it('a dry run reports every kind and changes nothing: no request moves, no mail, no ARM write, nothing stored', async () => {
    const run = await finished({ dryRun: true });
    expect(run.dryRun).toBe(true);
    for (const kind of FINDING_KINDS) expect(run.counts.byKind[kind], kind).toBeGreaterThan(0);
    expect(run.counts.exemptions).toBe(h.world.scale.seed.exemptions!.length);
    expect(h.sim.smtp.messages()).toEqual([]);
    expect(writes()).toEqual([]);
    expect(h.sim.policyInsights.evaluations()).toEqual([]);
    expect(await (await h.app.sweepStore()).latestRun()).toBeUndefined();
    expect(await requestState(h.world.deletedRequestId)).toBe('applied');
    expect(await requestState(h.world.requestsByKind.expired[0]!)).toBe('applied');
    expect(h.sim.violations).toEqual([]);
  });

  let first: SweepRun;
  let firstFindings: SweepFinding[];

  it('a run finds every kind, stores the run and its findings, and acts on managed exemptions only', async () => {
    first = await finished();
    firstFindings = await findingsOf(first);
    expect(first.status).toBe('succeeded');
    expect(first.errors).toEqual([]);
    for (const kind of FINDING_KINDS) expect(first.counts.byKind[kind], kind).toBeGreaterThan(0);
    expect(firstFindings).toHaveLength(first.counts.findings);
    expect(first.counts.newFindings).toBe(first.counts.findings);
    expect((await (await h.app.sweepStore()).latestRun())?.id).toBe(first.id);

    const { world } = h;
    // Expiring: the request moved on and its requester was offered a renewal.
    expect(await requestState(world.requestsByKind.expiringWithin7Days[0]!)).toBe('expiring');
    // Expired: confirmed with ARM, then marked.
    expect(await requestState(world.requestsByKind.expired[0]!)).toBe('expired');
    // Deleted out of band (ARM confirms the 404): revoked.
    expect(await requestState(world.deletedRequestId)).toBe('revoked');
    const deleted = firstFindings.find((f) => f.kind === 'deletedOutOfBand')!;
    expect(deleted).toMatchObject({ subject: world.deletedExemptionId, requestId: world.deletedRequestId, action: 'marked-revoked' });
    // Stuck: requeued through the same use case as the timer.
    expect(firstFindings.find((f) => f.kind === 'stuck')).toMatchObject({ requestId: world.stuckRequestId, action: 'requeued' });
    // Changed out of band: reported against the request that approved something else.
    expect(firstFindings.some((f) => f.kind === 'changedOutOfBand' && f.requestId === world.changedRequestId)).toBe(true);
    // Unmanaged and self-serve are reported, never modified: no ARM write touches them.
    const untouchable = new Set([...world.exemptionsByKind.unmanaged, ...world.exemptionsByKind.selfServe].map((id) => id.toLowerCase()));
    expect(writes().filter((w) => [...untouchable].some((id) => decodeURIComponent(w.path).toLowerCase().includes(id)))).toEqual([]);
    // Exemptions whose metadata claims us but that no stored request created are unmanaged, not trusted.
    expect(firstFindings.filter((f) => f.kind === 'unmanaged').every((f) => !f.managed)).toBe(true);
  });

  it('Defender mismatches after the lag trigger one policy evaluation per resource group', async () => {
    const mismatches = firstFindings.filter((f) => f.kind === 'defenderMismatch');
    expect(mismatches.length).toBeGreaterThan(0);
    expect(mismatches.every((m) => m.action === 'evaluation-triggered')).toBe(true);
    const scopes = h.sim.policyInsights.evaluations().map((e) => e.scope.toLowerCase());
    expect(new Set(scopes).size).toBe(scopes.length);
    const groups = new Set(mismatches.map((m) => m.scope.toLowerCase().split('/providers/')[0]));
    expect(new Set(scopes)).toEqual(groups);
  });

  it('mails the requester once per managed request and threshold, and sends one digest of new findings with a working report link', async () => {
    const mails = h.sim.smtp.messages();
    const digest = mails.filter((m) => m.to.includes(DIGEST_TO));
    expect(digest).toHaveLength(1);
    expect(digest[0]!.text).toContain(`/api/sweeps/${first.id}/report?t=`);
    const toRequester = mails.filter((m) => m.to.includes(WORLD_REQUESTER));
    const expectedNotices = new Set(firstFindings
      .filter((f) => f.managed && ['renewal-offered', 'notified', 'marked-revoked', 'marked-removed'].includes(f.action))
      .map((f) => `${f.requestId}|${f.kind}`));
    expect(toRequester).toHaveLength(expectedNotices.size);
    expect(toRequester.some((m) => m.text.includes('/api/renew?t='))).toBe(true);
  });

  it('a second run repeats no notice and no digest, and keeps when each finding was first seen', async () => {
    const before = h.sim.smtp.messages().length;
    h.advance(60_000);
    const second = await finished();
    expect(second.counts.newFindings).toBe(0);
    expect(h.sim.smtp.messages().length).toBe(before);
    const again = await findingsOf(second);
    const firstSeen = new Map(firstFindings.map((f) => [f.key, f.firstSeen]));
    for (const finding of again) {
      if (finding.kind === 'deletedOutOfBand' || finding.kind === 'stuck') continue;
      expect(finding.firstSeen, finding.kind).toBe(firstSeen.get(finding.key));
      expect(finding.isNew).toBe(false);
    }
  });

  it('crossing the next warning threshold is a new finding with its own notice', async () => {
    // The "within 30 days" exemption that expires last: moved to five days before its expiry.
    const live = h.sim.exemptions();
    const candidates = h.world.exemptionsByKind.expiringWithin30Days.map((id) => live.find((e) => e.id === id)!);
    const target = candidates.sort((a, b) => Date.parse(b.properties.expiresOn!) - Date.parse(a.properties.expiresOn!))[0]!;
    const requestId = h.world.requestsByKind.expiringWithin30Days[h.world.exemptionsByKind.expiringWithin30Days.indexOf(target.id)]!;
    const before = h.sim.smtp.messages().filter((m) => m.to.includes(WORLD_REQUESTER)).length;
    h.advance(Date.parse(target.properties.expiresOn!) - 5 * 86_400_000 - h.now());
    const run = await finished();
    const crossed = (await findingsOf(run)).find((f) => f.requestId === requestId && f.kind === 'expiring');
    expect(crossed).toMatchObject({ threshold: '7', isNew: true, action: 'renewal-offered' });
    expect(h.sim.smtp.messages().filter((m) => m.to.includes(WORLD_REQUESTER)).length).toBeGreaterThan(before);
    expect(h.sim.violations).toEqual([]);
  });
});
