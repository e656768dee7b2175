import { describe, expect, it } from 'vitest';
import { FindingRecorder } from '../../../lib/sweep/engine/finding-recorder.js';
import type { FindingDraft } from '../../../lib/sweep/findings/finding-draft.js';
import type { SweepFinding } from '../../../lib/sweep/model.js';
import type { SweepStore } from '../../../lib/sweep/ports/sweep-store.js';

const NOW = '2026-12-01T02:00:00.000Z';

function draft(n: number): FindingDraft {
  const subscriptionId = `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
  return {
    kind: 'noExpiry', threshold: '', subject: `/subscriptions/${subscriptionId}/providers/microsoft.authorization/policyexemptions/ex${n}`,
    subscriptionId, scope: `/subscriptions/${subscriptionId}`, policyAssignmentId: undefined, displayName: undefined, expiresOn: undefined,
    requestId: undefined, managed: false, detail: 'never expires', action: 'none',
  };
}

/** A store whose saves finish only when the test says, so the overlap with reading is visible. */
function gatedStore() {
  const saves: { findings: readonly SweepFinding[]; finish: () => void; fail: (error: Error) => void }[] = [];
  const store = {
    saveFindings: (_runId: string, findings: readonly SweepFinding[]) => new Promise<void>((resolve, reject) => {
      saves.push({ findings, finish: resolve, fail: reject });
    }),
  } as unknown as SweepStore;
  return { store, saves };
}

const settled = async <T>(promise: Promise<T>): Promise<boolean> => {
  let done = false;
  void promise.then(() => (done = true), () => (done = true));
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return done;
};

describe('the finding recorder stores one batch while the next page is read', () => {
  it('returns before its batch is stored, waits for it before starting another, and flush waits for the last', async () => {
    const { store, saves } = gatedStore();
    const recorder = new FindingRecorder(store, 'run-1', new Map(), NOW, false);

    expect(await recorder.record([draft(1), draft(2)])).toHaveLength(2);
    expect(saves).toHaveLength(1);

    const second = recorder.record([draft(3)]);
    expect(await settled(second)).toBe(false);
    expect(saves).toHaveLength(1);
    saves[0]!.finish();
    await second;
    expect(saves).toHaveLength(2);
    expect(saves[1]!.findings.map((f) => f.subject)).toEqual([draft(3).subject]);

    const flushed = recorder.flush();
    expect(await settled(flushed)).toBe(false);
    saves[1]!.finish();
    await flushed;
  });

  it('reports a failed batch at the next record or flush, once', async () => {
    const { store, saves } = gatedStore();
    const recorder = new FindingRecorder(store, 'run-1', new Map(), NOW, false);
    await recorder.record([draft(1)]);
    saves[0]!.fail(new Error('table service down'));
    await expect(recorder.record([draft(2)])).rejects.toThrow(/table service down/);
    await expect(recorder.flush()).resolves.toBeUndefined();

    await recorder.record([draft(3)]);
    saves[1]!.fail(new Error('still down'));
    await expect(recorder.flush()).rejects.toThrow(/still down/);
  });

  it('stores nothing in a dry run', async () => {
    const { store, saves } = gatedStore();
    const recorder = new FindingRecorder(store, 'run-1', new Map(), NOW, true);
    expect(await recorder.record([draft(1)])).toHaveLength(1);
    await recorder.flush();
    expect(saves).toHaveLength(0);
  });
});
