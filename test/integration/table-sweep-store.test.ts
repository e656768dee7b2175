import { createHash } from 'node:crypto';
import { odata, TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../lib/core/clock.js';
import { FINDING_KINDS, type FindingKind, type SweepFinding, type SweepRun } from '../../lib/sweep/model.js';
import type { KnownFinding } from '../../lib/sweep/ports/sweep-store.js';
import { InvalidFindingsTokenError, TableSweepStore } from '../../lib/store/table-sweep-store.js';
import { FindingRecorder } from '../../lib/sweep/engine/finding-recorder.js';
import { startAzurite, type AzuriteHandle } from '../support/azurite.js';

let azurite: AzuriteHandle;
let tableNumber = 0;
const now = { at: new Date('2026-11-01T02:00:00.000Z') };
const clock: Clock = { now: () => now.at };

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => azurite?.stop());

/** A fresh pair of tables per test: no test sees another's rows. */
async function freshStore(): Promise<{ store: TableSweepStore; runs: TableClient; findings: TableClient }> {
  tableNumber += 1;
  const client = (name: string) => TableClient.fromConnectionString(azurite.connectionString, `${name}${tableNumber}`, { allowInsecureConnection: true });
  const runs = client('sweepruns');
  const findings = client('sweepfindings');
  await Promise.all([runs.createTable(), findings.createTable()]);
  return { store: new TableSweepStore(runs, findings, clock), runs, findings };
}

function sampleRun(id: string, overrides: Partial<SweepRun> = {}): SweepRun {
  return {
    id, trigger: 'timer', dryRun: false, scope: { managementGroups: [], subscriptions: [] }, status: 'succeeded',
    startedAt: '2026-11-01T02:00:00.000Z', finishedAt: '2026-11-01T02:10:00.000Z', durationMs: 600_000,
    counts: { exemptions: 10, assessments: 20, subscriptions: 2, findings: 3, newFindings: 1, byKind: { expired: 2, noExpiry: 1 } },
    calls: { resourceGraphQueries: 3, armCalls: 4, throttled: 0, waitedMs: 0 },
    source: 'resourceGraph',
    expiringPerWeek: Array.from({ length: 13 }, (_, i) => i),
    errors: [],
    ...overrides,
  };
}

function sampleFinding(kind: FindingKind, n: number, overrides: Partial<SweepFinding> = {}): SweepFinding {
  const subject = `/subscriptions/00000000-0000-0000-0000-${String(n).padStart(12, '0')}/providers/Microsoft.Authorization/policyExemptions/ex${n}`;
  const threshold = kind === 'expiring' ? '7' : '';
  return {
    key: createHash('sha256').update(`${kind}|${subject}|${threshold}`).digest('hex'),
    kind, threshold, subject,
    // Twenty subscriptions, in runs of a hundred findings: as Resource Graph pages group them.
    subscriptionId: `00000000-0000-0000-0000-${String(Math.floor(n / 100) % 20).padStart(12, '0')}`,
    scope: `/subscriptions/00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
    policyAssignmentId: undefined, displayName: `exemption ${n}`, expiresOn: undefined, requestId: undefined,
    managed: false, detail: `finding ${n} of kind ${kind}`, action: 'none',
    firstSeen: '2026-11-01T02:00:00.000Z', lastSeen: '2026-11-01T02:00:00.000Z', isNew: true,
    ...overrides,
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('TableSweepStore lease', () => {
  it('lets one run hold the lease; another is refused until it is released', async () => {
    const { store } = await freshStore();
    expect(await store.acquireLease('run-a', '2026-11-01T03:00:00.000Z')).toBe(true);
    expect(await store.acquireLease('run-b', '2026-11-01T03:00:00.000Z')).toBe(false);
    await store.releaseLease('run-b'); // not the holder: a no-op
    expect(await store.acquireLease('run-b', '2026-11-01T03:00:00.000Z')).toBe(false);
    await store.releaseLease('run-a');
    expect(await store.acquireLease('run-b', '2026-11-01T03:00:00.000Z')).toBe(true);
  });

  it('gives the lease to exactly one of many concurrent acquirers', async () => {
    const { store } = await freshStore();
    const contenders = Array.from({ length: 8 }, (_, i) => `run-${i}`);
    const outcomes = await Promise.all(contenders.map((id) => store.acquireLease(id, '2026-11-01T03:00:00.000Z')));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it('lets a run take over an expired lease, and of two concurrent takeovers exactly one wins', async () => {
    const { store, runs } = await freshStore();
    expect(await store.acquireLease('run-old', '2026-11-01T01:00:00.000Z')).toBe(true);
    const outcomes = await Promise.all(['run-x', 'run-y'].map((id) => store.acquireLease(id, '2026-11-01T04:00:00.000Z')));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const winner = outcomes[0] ? 'run-x' : 'run-y';
    expect((await runs.getEntity<{ holder: string }>('lease', 'sweep')).holder).toBe(winner);
    // The run that lost its lease to expiry cannot release the new holder's.
    await store.releaseLease('run-old');
    expect((await runs.getEntity<{ holder: string }>('lease', 'sweep')).holder).toBe(winner);
  });

  it('refuses to take over a lease that has not expired yet', async () => {
    const { store } = await freshStore();
    expect(await store.acquireLease('run-a', '2026-11-01T02:00:01.000Z')).toBe(true);
    expect(await store.acquireLease('run-b', '2026-11-01T05:00:00.000Z')).toBe(false);
  });
});

describe('TableSweepStore runs', () => {
  it('reads a run back and answers the newest as latest', async () => {
    const { store } = await freshStore();
    expect(await store.latestRun()).toBeUndefined();
    // Ids sort newest first as text: the smaller id is the newer run.
    const older = sampleRun('8000000000000-aaaa', { startedAt: '2026-10-31T02:00:00.000Z' });
    const newer = sampleRun('7999999999999-bbbb', { status: 'running' });
    await store.saveRun(older);
    await store.saveRun(newer);
    expect(await store.getRun(older.id)).toEqual(older);
    expect(await store.latestRun()).toEqual(newer);
    const finished = { ...newer, status: 'partial' as const, errors: ['one batch failed'] };
    await store.saveRun(finished);
    expect(await store.latestRun()).toEqual(finished);
  });

  it('keeps a run with fifty long errors, clipping them only as far as needed', async () => {
    const { store } = await freshStore();
    const run = sampleRun('7000000000000-cccc', { errors: Array.from({ length: 50 }, (_, i) => `${i}:${'\u0001'.repeat(20_000)}`) });
    await store.saveRun(run);
    const stored = await store.getRun(run.id);
    expect(stored?.errors).toHaveLength(50);
    expect(stored?.errors[7]!.startsWith('7:')).toBe(true);
    expect({ ...stored, errors: [] }).toEqual({ ...run, errors: [] });
  });

  it.each([
    ['an OData quote', "x' or PartitionKey eq 'run"],
    ['upper case', 'RUN-A'],
    ['a slash', 'a/b'],
    ['a hash', 'a#b'],
    ['empty', ''],
    ['a control character', 'a\u0000b'],
    ['too long', 'a'.repeat(65)],
  ])('answers a hostile run id (%s) with nothing, never a query', async (_label, id) => {
    const { store } = await freshStore();
    await store.saveRun(sampleRun('6000000000000-dddd'));
    await store.saveFindings('6000000000000-dddd', [sampleFinding('expired', 1)]);
    expect(await store.getRun(id)).toBeUndefined();
    expect(await store.runFindings(id, {}, { size: 10 })).toEqual({ items: [] });
    await expect(store.saveFindings(id, [sampleFinding('expired', 2)])).rejects.toThrow(/run id/);
    await expect(store.saveRun(sampleRun(id))).rejects.toThrow(/run id/);
  });
});

describe('TableSweepStore findings', () => {
  const runOne = '5000000000000-aaaa';
  const runTwo = '4999999999999-bbbb';
  const manyFindings = (overrides: Partial<SweepFinding> = {}) => Array.from({ length: 2_500 }, (_, n) => sampleFinding(FINDING_KINDS[n % FINDING_KINDS.length]!, n, overrides));

  it('saves 2,500 findings across every kind; the ledger keeps firstSeen and noticedAt through a second run', async () => {
    const { store } = await freshStore();
    const first = manyFindings().map((finding, n) => n % 5 === 0 ? { ...finding, action: 'notified' as const } : finding);
    await store.saveFindings(runOne, first.slice(0, 1_000));
    await store.saveFindings(runOne, first.slice(1_000, 2_000));
    await store.saveFindings(runOne, first.slice(2_000));

    const known = new Map((await collect(store.knownFindings())).map((k) => [k.key, k]));
    expect(known.size).toBe(2_500);
    first.forEach((finding, n) => {
      const expected: KnownFinding = { key: finding.key, kind: finding.kind, firstSeen: '2026-11-01T02:00:00.000Z', ...(n % 5 === 0 ? { noticedAt: '2026-11-01T02:00:00.000Z' } : {}) };
      expect(known.get(finding.key)).toEqual(expected);
    });

    // The next run sees them again: known, not new, nothing mailed, later timestamps (even a wrong firstSeen).
    const second = manyFindings({ isNew: false, firstSeen: '2026-11-02T02:00:00.000Z', lastSeen: '2026-11-02T02:00:00.000Z' });
    await store.saveFindings(runTwo, second.slice(0, 1_000));
    await store.saveFindings(runTwo, second.slice(1_000));
    const again = await collect(store.knownFindings());
    expect(again).toHaveLength(2_500);
    expect(new Set(again.map((k) => k.firstSeen))).toEqual(new Set(['2026-11-01T02:00:00.000Z']));
    expect(again.filter((k) => k.noticedAt === '2026-11-01T02:00:00.000Z')).toHaveLength(500);
    expect(again.filter((k) => k.noticedAt !== undefined)).toHaveLength(500);

    // Each run keeps its own snapshot, whole.
    const secondRunFirstPage = await store.runFindings(runTwo, {}, { size: 1_000 });
    const byKey = new Map(second.map((f) => [f.key, f]));
    for (const item of secondRunFirstPage.items) expect(item).toEqual(byKey.get(item.key));
  });

  it('remembers a notice whose first-seen rows are gone, and of two first sightings the earlier', async () => {
    const { store, findings } = await freshStore();
    const noticed = sampleFinding('expiring', 1, { action: 'notified' });
    const twice = sampleFinding('expired', 2);
    await store.saveFindings(runOne, [noticed, twice]);
    // The first run's first-seen rows lost (as when it died between its transactions).
    for await (const row of findings.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${`f-${runOne}`}` } })) {
      if (JSON.stringify(row).includes('expiring')) await findings.deleteEntity(row.partitionKey!, row.rowKey!);
    }
    await store.saveFindings(runTwo, [sampleFinding('expired', 2, { firstSeen: '2026-11-02T02:00:00.000Z', lastSeen: '2026-11-02T02:00:00.000Z' })]);

    const known = await FindingRecorder.loadKnown(store);
    expect(known.get(noticed.key)).toEqual({ key: noticed.key, kind: 'expiring', firstSeen: '2026-11-01T02:00:00.000Z', noticedAt: '2026-11-01T02:00:00.000Z' });
    expect(known.get(twice.key)).toEqual({ key: twice.key, kind: 'expired', firstSeen: '2026-11-01T02:00:00.000Z' });
  });

  it('pages through one run, each finding exactly once, grouped by kind, and filters by kind', async () => {
    const { store } = await freshStore();
    const findings = Array.from({ length: 230 }, (_, n) => sampleFinding(n % 3 === 0 ? 'expired' : 'noExpiry', n));
    await store.saveFindings(runOne, findings);
    await store.saveFindings(runTwo, [sampleFinding('stuck', 9_999)]);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await store.runFindings(runOne, {}, { size: 100, ...(token ? { continuationToken: token } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(100);
      if (page.continuationToken) expect(page.continuationToken).toMatch(/^[A-Za-z0-9_-]+$/);
      seen.push(...page.items.map((item) => item.key));
      token = page.continuationToken;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(230);
    expect([...seen].sort()).toEqual(findings.map((f) => f.key).sort());
    const kindsInOrder = seen.map((key) => findings.find((f) => f.key === key)!.kind);
    expect(kindsInOrder).toEqual([...kindsInOrder].sort());

    const expired: SweepFinding[] = [];
    token = undefined;
    do {
      const page = await store.runFindings(runOne, { kind: 'expired' }, { size: 30, ...(token ? { continuationToken: token } : {}) });
      expired.push(...page.items);
      token = page.continuationToken;
    } while (token);
    expect(expired.map((f) => f.key).sort()).toEqual(findings.filter((f) => f.kind === 'expired').map((f) => f.key).sort());
    expect((await store.runFindings(runOne, { kind: 'stuck' }, { size: 10 })).items).toEqual([]);
  });

  it('refuses a continuation token that points outside the run', async () => {
    const { store } = await freshStore();
    await store.saveFindings(runOne, Array.from({ length: 5 }, (_, n) => sampleFinding('expired', n)));
    await store.saveFindings(runTwo, [sampleFinding('expired', 100)]);
    const page = await store.runFindings(runOne, {}, { size: 2 });
    expect(page.continuationToken).toBeTruthy();
    await expect(store.runFindings(runTwo, {}, { size: 2, continuationToken: page.continuationToken! })).rejects.toBeInstanceOf(InvalidFindingsTokenError);
    const issued = JSON.parse(Buffer.from(page.continuationToken!, 'base64url').toString()) as Record<string, unknown>;
    const forged = (changes: Record<string, unknown>) => Buffer.from(JSON.stringify({ ...issued, ...changes })).toString('base64url');
    expect((await store.runFindings(runOne, {}, { size: 2, continuationToken: forged({}) })).items).toHaveLength(2);
    for (const changes of [{ p: `r-${runTwo}` }, { r: "expired-' or 'a' eq 'a" }, { o: -1 }, { o: 1.5 }, { o: 1e9 }, { extra: 1 }]) {
      await expect(store.runFindings(runOne, {}, { size: 2, continuationToken: forged(changes) })).rejects.toBeInstanceOf(InvalidFindingsTokenError);
    }
    await expect(store.runFindings(runOne, {}, { size: 2, continuationToken: 'not a token' })).rejects.toBeInstanceOf(InvalidFindingsTokenError);
  });

  it('refuses a finding whose key is not a sha256 before writing any of the page', async () => {
    const { store } = await freshStore();
    const bad = { ...sampleFinding('expired', 2), key: "a' or 'b" };
    await expect(store.saveFindings(runOne, [sampleFinding('expired', 1), bad])).rejects.toThrow(/sha256/);
    expect(await collect(store.knownFindings())).toEqual([]);
  });
});
