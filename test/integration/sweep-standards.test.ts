// The nightly sweep over Defender exemptions (Microsoft.Security/standardAssignments, effect Exempt) on the
// default seed: requests stored as the apply worker leaves them, their standard assignments written into
// the simulated tenant through the real ARM gateway, Azurite for both stores, one virtual clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type AppServices } from '../../lib/composition-root.js';
import { DAY_MS } from '../../lib/core/time.js';
import { assignedStandardId, standardAssignmentName, standardExemptionProperties } from '../../lib/azure/standard-assignment.js';
import type { AuditEntry, ExemptionCategory, ExemptionRequest } from '../../lib/requests/model.js';
import { requestRenewal } from '../../lib/requests/renewal-service.js';
import type { SweepOrder } from '../../lib/sweep/engine/run-sweep.js';
import type { SweepFinding, SweepRun } from '../../lib/sweep/model.js';
import type { Pacer } from '../../lib/sweep/pacing.js';
import { findingsCsvHeader, findingsCsvRows } from '../../lib/sweep/report/findings-csv.js';
import { sweepWithApp } from '../../lib/sweep/sweep-runner.js';
import { DEFENDER } from '../sim/seed-ids.js';
import { startSimTenant, trustSimCertificate, type SimTenant } from '../sim/index.js';
import { startAzurite, type AzuriteHandle } from '../support/azurite.js';
import { appSettingsFor } from '../support/local-environment.js';
import { allFindings } from '../support/sweep-harness.js';

const REQUESTER = 'dev.owner@contoso.com';
const APPROVER = 'secops@contoso.com';
const LONG_AGO = '2025-06-01T00:00:00.000Z';
const S1 = DEFENDER.azureResource.split('/')[2]!;
const rg = (group: string, type: string, name: string) => `/subscriptions/${S1}/resourceGroups/${group}/providers/${type}/${name}`;

let sim: SimTenant;
let azurite: AzuriteHandle;
let app: AppServices;
let env: Record<string, string>;
let now = Date.now();
const clock = { now: () => new Date(now) };
const pacer: Pacer = { now: () => now, sleep: async (ms) => void (now += ms) };

beforeAll(async () => {
  [sim, azurite] = await Promise.all([startSimTenant({ clock: () => now }), startAzurite()]);
  trustSimCertificate(sim.caCertPem);
  env = { ...appSettingsFor(sim, azurite), PUBLIC_BASE_URL: 'http://127.0.0.1:7071', SWEEP_DIGEST_TO: 'sweep-digest@contoso.com' };
  app = createServices({ env, clock, mailRetryBackoffMs: 10 });
});
afterAll(async () => {
  await Promise.allSettled([sim?.close(), azurite?.stop()]);
});

interface Managed {
  readonly request: ExemptionRequest;
  readonly exemptionId: string;
}

/**
 * An applied request with one Defender exemption, as the apply worker leaves it, and that exemption
 * written through the gateway (with `written` overriding what was approved, to make drift).
 */
async function managedStandard(id: string, resourceId: string, expiresOn: string,
  written: { category?: ExemptionCategory; expiresOn?: string } = {}): Promise<Managed> {
  const category: ExemptionCategory = 'Waiver';
  const name = standardAssignmentName(id, resourceId, DEFENDER.standardName, DEFENDER.nativeAssessmentKey);
  const gateway = await app.arm();
  const exemptionId = await gateway.putStandardAssignment(resourceId, name, standardExemptionProperties({
    standardName: DEFENDER.standardName, assessmentKey: DEFENDER.nativeAssessmentKey, category: written.category ?? category,
    expiresOn: new Date(written.expiresOn ?? expiresOn), displayName: `Exemption: ${id}`, description: `exemption-broker request ${id}`,
  }));
  const standard = assignedStandardId(DEFENDER.standardName);
  const request: ExemptionRequest = {
    id, state: 'applied', createdAt: LONG_AGO, updatedAt: LONG_AGO, source: 'api', subscriptionId: S1,
    recommendation: { displayName: 'Machines should have secrets findings resolved', assessmentKey: DEFENDER.nativeAssessmentKey },
    targets: [{ resourceId, assignments: [], standards: [{ assignedStandardId: standard, standardAssignmentId: DEFENDER.standardAssignments.subscription }] }],
    category, justification: 'Seeded for the sweep', expiresOn, requestedBy: REQUESTER, requesterAssurance: 'asserted',
    approvers: [APPROVER], decision: { outcome: 'approved', by: APPROVER, at: LONG_AGO, channel: 'review-page' },
    exemptions: [{ kind: 'standard', id: exemptionId, resourceId, assignedStandardId: standard }],
    dedupeKey: `sweep-standards-${id}`,
  };
  const audit: AuditEntry = { requestId: id, at: LONG_AGO, actor: 'seed', channel: 'api', action: 'seeded', to: 'applied' };
  expect((await (await app.store()).create(request, audit)).created).toBe(true);
  return { request, exemptionId };
}

async function sweep(order: Partial<SweepOrder> = {}, using = app): Promise<{ run: SweepRun; findings: SweepFinding[] }> {
  const outcome = await sweepWithApp(using, { trigger: 'cli', dryRun: false, ...order }, { pacer, backoffMs: 10 });
  if (outcome.kind !== 'finished') throw new Error(`sweep did not run: ${outcome.kind}`);
  if (order.dryRun) return { run: outcome.run, findings: [] };
  return { run: outcome.run, findings: await allFindings(await using.sweepStore(), outcome.run.id) };
}

const stateOf = async (id: string) => (await (await app.store()).get(id))?.value.state;
const about = (findings: readonly SweepFinding[], id: string) => findings.filter((f) => f.subject.toLowerCase() === id.toLowerCase());
const standardWrites = () => sim.requests.filter((r) => r.method !== 'GET' && /standardAssignments/i.test(decodeURIComponent(r.path)));

describe('the sweep over Defender exemptions (standard assignments)', () => {
  let expiring: Managed;
  let expired: Managed;
  let deleted: Managed;
  let drifted: Managed;
  let audited: Managed;
  let first: { run: SweepRun; findings: SweepFinding[] };
  /** What the first run asked of the tenant. */
  let firstCalls: typeof sim.requests;

  beforeAll(async () => {
    expiring = await managedStandard('stdexpiring', DEFENDER.azureResource, new Date(now + 5 * DAY_MS).toISOString());
    expired = await managedStandard('stdexpired', rg('rg-app-prod', 'Microsoft.Storage/storageAccounts', 'stcontosoprod01'), new Date(now - 3 * DAY_MS).toISOString());
    deleted = await managedStandard('stddeleted', rg('rg-app-prod', 'Microsoft.Sql/servers', 'sql-contoso-prod'), new Date(now + 60 * DAY_MS).toISOString());
    drifted = await managedStandard('stddrifted', DEFENDER.awsResource, new Date(now + 60 * DAY_MS).toISOString(),
      { category: 'Mitigated', expiresOn: new Date(now + 80 * DAY_MS).toISOString() });
    audited = await managedStandard('stdaudited', `/subscriptions/${S1}/resourceGroups/rg-data-prod`, new Date(now + 60 * DAY_MS).toISOString());
    const gateway = await app.arm();
    // Out of band: one deleted, one turned back into an Audit assignment (no longer an exemption).
    expect(await gateway.deleteStandardAssignment(deleted.request.targets[0]!.resourceId, deleted.exemptionId.split('/').pop()!)).toBe(true);
    const auditName = audited.exemptionId.split('/').pop()!;
    const props = standardExemptionProperties({
      standardName: DEFENDER.standardName, assessmentKey: DEFENDER.nativeAssessmentKey, category: 'Waiver',
      expiresOn: new Date(now + 60 * DAY_MS), displayName: 'x', description: 'x',
    });
    await gateway.putStandardAssignment(audited.request.targets[0]!.resourceId, auditName, { ...props, effect: 'Audit' } as unknown as typeof props);
    sim.requests.length = 0;
    first = await sweep();
    firstCalls = [...sim.requests];
  });

  it('a dry run sees the same Defender findings and changes nothing', async () => {
    const before = sim.smtp.messages().length;
    const dry = await sweep({ dryRun: true });
    expect(dry.run.counts.byKind.unmanaged).toBe(first.run.counts.byKind.unmanaged);
    expect(sim.smtp.messages()).toHaveLength(before);
  });

  it('finds them through Resource Graph securityresources, and reads nothing twice', () => {
    expect(first.run.status).toBe('succeeded');
    expect(first.run.errors).toEqual([]);
    const queries = firstCalls.filter((r) => /Microsoft\.ResourceGraph/i.test(r.path)).map((r) => String((r.body as { query?: unknown } | undefined)?.query ?? ''));
    expect(queries.filter((q) => /standardassignments/i.test(q))).toHaveLength(1);
    expect(sim.violations).toEqual([]);
  });

  it('expiring: the request moves to expiring and its people are offered a renewal', async () => {
    expect(about(first.findings, expiring.exemptionId)).toEqual([
      expect.objectContaining({ kind: 'expiring', threshold: '7', mechanism: 'standard', managed: true, requestId: 'stdexpiring', action: 'renewal-offered' }),
    ]);
    expect(await stateOf('stdexpiring')).toBe('expiring');
    const mails = sim.smtp.messages().filter((m) => m.to.includes(REQUESTER) && m.text.includes('/api/renew?t='));
    expect(mails.length).toBeGreaterThan(0);
  });

  it('expired: confirmed with ARM, then the request is marked expired', async () => {
    expect(about(first.findings, expired.exemptionId)).toEqual([
      expect.objectContaining({ kind: 'expired', mechanism: 'standard', managed: true, action: 'notified' }),
    ]);
    expect(await stateOf('stdexpired')).toBe('expired');
    expect(firstCalls.some((r) => r.method === 'GET' && decodeURIComponent(r.path).toLowerCase() === expired.exemptionId.toLowerCase())).toBe(true);
  });

  it('deleted out of band: ARM confirms the 404 and the request is revoked', async () => {
    expect(about(first.findings, deleted.exemptionId)).toEqual([
      expect.objectContaining({ kind: 'deletedOutOfBand', mechanism: 'standard', action: 'marked-revoked', requestId: 'stddeleted' }),
    ]);
    expect(await stateOf('stddeleted')).toBe('revoked');
  });

  it('changed out of band: expiry and category differ from what was approved; an effect changed to Audit is drift too', async () => {
    const drift = about(first.findings, drifted.exemptionId).find((f) => f.kind === 'changedOutOfBand');
    expect(drift?.detail).toMatch(/expiry .* \(approved .*\); category Mitigated \(approved Waiver\)/);
    expect(await stateOf('stddrifted')).toBe('applied');
    const audit = about(first.findings, audited.exemptionId);
    expect(audit).toEqual([expect.objectContaining({ kind: 'changedOutOfBand', managed: true })]);
    expect(audit[0]!.detail).toContain('"Audit"');
    expect(await stateOf('stdaudited')).toBe('applied');
  });

  it('unmanaged: the seeded Defender exemptions no request made are reported (expired one too), never modified', () => {
    const { unmanagedKeyVault, expiredStorage } = DEFENDER.standardExemptions;
    expect(about(first.findings, unmanagedKeyVault).map((f) => f.kind)).toEqual(['unmanaged']);
    expect(about(first.findings, expiredStorage).map((f) => f.kind).sort()).toEqual(['expired', 'unmanaged']);
    for (const f of [...about(first.findings, unmanagedKeyVault), ...about(first.findings, expiredStorage)]) {
      expect(f).toMatchObject({ managed: false, action: 'none', mechanism: 'standard' });
    }
    const touched = standardWrites().filter((w) => [unmanagedKeyVault, expiredStorage].some((id) => decodeURIComponent(w.path).toLowerCase() === id.toLowerCase()));
    expect(touched).toEqual([]);
  });

  it('Audit assignments are the standards themselves: never findings, never counted', () => {
    const audits = [DEFENDER.standardAssignments.subscription, DEFENDER.standardAssignments.awsConnector];
    for (const id of audits) expect(about(first.findings, id)).toEqual([]);
    const standardSubjects = new Set(first.findings.filter((f) => f.mechanism === 'standard').map((f) => f.subject.toLowerCase()));
    // The five managed ones written above and the two seeded Exempt ones: nothing else.
    expect(standardSubjects.size).toBe(7);
  });

  it('the findings CSV names the mechanism and the standard', () => {
    const header = findingsCsvHeader().trim().split(',');
    const rows = findingsCsvRows(about(first.findings, DEFENDER.standardExemptions.unmanagedKeyVault)).trim().split(',');
    expect(rows[header.indexOf('mechanism')]).toBe('standard');
    expect(rows[header.indexOf('assignedStandardId')]).toBe(`/providers/Microsoft.Security/Standards/${DEFENDER.standardName}`);
    const policy = first.findings.find((f) => f.mechanism === undefined)!;
    expect(findingsCsvRows([policy]).split(',')[header.indexOf('mechanism')]).toBe('policy');
  });

  it('a renewal of a request with Defender targets keeps them', async () => {
    const outcome = await requestRenewal(
      { clock, store: await app.store(), notifyQueue: await app.notifyQueue(), warn: () => undefined },
      { maxExpiryDays: 90, maxJustificationLength: 500 },
      { requestId: 'stdexpiring', requestedBy: REQUESTER, expiresOn: new Date(now + 30 * DAY_MS).toISOString().slice(0, 10), justification: 'still needed', credentialId: 'renew-link-1' },
    );
    expect(outcome.kind).toBe('created');
    if (outcome.kind !== 'created') return;
    expect(outcome.request.targets).toEqual(expiring.request.targets);
    expect(outcome.request.renewalOf).toEqual({ requestId: 'stdexpiring', nameSeed: 'stdexpiring' });
  });

  it('a second run sends no notice again', async () => {
    const before = sim.smtp.messages().length;
    now += 60_000;
    const second = await sweep();
    expect(second.run.counts.newFindings).toBe(0);
    expect(sim.smtp.messages()).toHaveLength(before);
  });

  it('with SWEEP_DELETE_EXPIRED_AFTER_DAYS, a managed expired one is deleted (the unmanaged expired one is not)', async () => {
    const deleting = createServices({ env: { ...env, SWEEP_DELETE_EXPIRED_AFTER_DAYS: '1' }, clock, mailRetryBackoffMs: 10 });
    sim.requests.length = 0;
    const { findings } = await sweep({}, deleting);
    expect(about(findings, expired.exemptionId)).toEqual([expect.objectContaining({ kind: 'expired', action: 'deleted' })]);
    expect(sim.standardAssignments().some((a) => a.id.toLowerCase() === expired.exemptionId.toLowerCase())).toBe(false);
    expect(await stateOf('stdexpired')).toBe('removed');
    expect(sim.standardAssignments().some((a) => a.id.toLowerCase() === DEFENDER.standardExemptions.expiredStorage.toLowerCase())).toBe(true);
    expect(standardWrites().map((w) => w.method)).toEqual(['DELETE']);
  });

  it('when Resource Graph is refused, managed ones are still read by id; unmanaged ones below a subscription go unseen (documented)', async () => {
    sim.faults.add({ operationId: 'Resources', kind: 'error', status: 403, code: 'AuthorizationFailed', times: 50 });
    try {
      now += 60_000;
      const { run, findings } = await sweep({ dryRun: false });
      expect(run.errors.join('\n')).toContain('standard assignments were listed per subscription over REST');
      expect(about(findings, expiring.exemptionId).map((f) => f.kind)).toEqual(['expiring']);
      expect(about(findings, drifted.exemptionId).map((f) => f.kind)).toContain('changedOutOfBand');
      expect(about(findings, DEFENDER.standardExemptions.unmanagedKeyVault)).toEqual([]);
      expect(sim.requests.some((r) => r.operationId === 'StandardAssignments_List')).toBe(true);
    } finally {
      sim.faults.clear();
    }
  });
});
