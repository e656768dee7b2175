import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, CHUNK_FINDINGS, CHUNK_ROW_PATTERN, firstSeenEntities, firstSeenKeys, fromParts, KEYS_PER_ROW, noticeEntity, snapshotEntities } from '../../../lib/store/sweep-entities.js';
import type { FindingKind, SweepFinding } from '../../../lib/sweep/model.js';

const SUB = '0f0e0d0c-0b0a-0908-0706-050403020100';

function finding(kind: FindingKind, n: number, detail = `finding ${n}`): SweepFinding {
  const subject = `/subscriptions/${SUB}/providers/microsoft.authorization/policyexemptions/ex${n}`;
  return {
    key: createHash('sha256').update(`${kind}|${subject}|`).digest('hex'), kind, threshold: '', subject, subscriptionId: SUB, scope: `/subscriptions/${SUB}`,
    policyAssignmentId: undefined, displayName: `exemption ${n}`, expiresOn: undefined, requestId: undefined, managed: false, detail, action: 'none',
    firstSeen: '2026-12-01T02:00:00.000Z', lastSeen: '2026-12-01T02:00:00.000Z', isNew: true,
  };
}

describe('the snapshot of a run is a few large rows per page', () => {
  it('groups a page by kind into chunks within the row limits, losing and repeating nothing', () => {
    const page = Array.from({ length: 1_400 }, (_, n) => finding(n % 4 === 0 ? 'expired' : 'unmanaged', n));
    const rows = snapshotEntities('run-1', page);
    expect(rows.length).toBe(2 + Math.ceil(1_050 / CHUNK_FINDINGS));
    const stored = rows.flatMap((row) => {
      expect(row.partitionKey).toBe('r-run-1');
      expect(row.rowKey).toMatch(CHUNK_ROW_PATTERN);
      expect(row.rowKey.startsWith(`${row.kind}-`)).toBe(true);
      const items = fromParts(row) as SweepFinding[];
      expect(items.length).toBe(row.count);
      expect(items.length).toBeLessThanOrEqual(CHUNK_FINDINGS);
      expect(items.every((item) => item.kind === row.kind)).toBe(true);
      return items;
    });
    expect(stored).toHaveLength(page.length);
    expect(new Map(stored.map((f) => [f.key, f]))).toEqual(new Map(page.map((f) => [f.key, f])));
  });

  it('cuts a chunk by bytes too, and names chunks by their findings so a repeated save rewrites the same rows', () => {
    const long = Array.from({ length: 40 }, (_, n) => finding('noExpiry', n, 'x'.repeat(20_000) + n));
    const rows = snapshotEntities('run-1', long);
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) expect(Buffer.byteLength(JSON.stringify(fromParts(row)))).toBeLessThanOrEqual(CHUNK_BYTES);
    expect(snapshotEntities('run-1', long).map((r) => r.rowKey)).toEqual(rows.map((r) => r.rowKey));
    expect(new Set(rows.map((r) => r.rowKey)).size).toBe(rows.length);
  });
});

describe('the ledger', () => {
  it('remembers the new findings of a page in a few rows of keys, and nothing of the known ones', () => {
    const page = Array.from({ length: 2_600 }, (_, n) => ({ ...finding(n % 2 === 0 ? 'expired' : 'unmanaged', n), isNew: n < 2_500 }));
    const rows = firstSeenEntities('run-1', page);
    expect(rows).toHaveLength(2 * Math.ceil(1_250 / KEYS_PER_ROW));
    const keys = rows.flatMap((row) => {
      expect(row.partitionKey).toBe('f-run-1');
      expect(row.firstSeen).toBe('2026-12-01T02:00:00.000Z');
      const inRow = firstSeenKeys(row);
      expect(inRow).toHaveLength(row.count);
      return inRow;
    });
    expect(keys.sort()).toEqual(page.filter((f) => f.isNew).map((f) => f.key).sort());
    expect(firstSeenKeys({ ...rows[0]!, doc00: new TextEncoder().encode("x' or 'a") })).toEqual([]);
  });

  it('keeps a notice in its subscription\'s partition, anything without one apart, and nothing for other actions', () => {
    const notified = { ...finding('expired', 1), action: 'notified' as const };
    expect(noticeEntity('run-1', notified)).toMatchObject({ partitionKey: `k-${SUB}`, rowKey: notified.key, noticedAt: notified.lastSeen });
    expect(noticeEntity('run-1', { ...notified, subscriptionId: SUB.toUpperCase() })?.partitionKey).toBe(`k-${SUB}`);
    expect(noticeEntity('run-1', { ...notified, subscriptionId: "x' or 'a" })?.partitionKey).toBe('k-other');
    expect(noticeEntity('run-1', finding('expired', 1))).toBeUndefined();
  });
});
