import { inParallel } from '../../core/in-parallel.js';
import { DAY_MS } from '../../core/time.js';
import { moveBySweep } from '../../requests/sweep-transitions.js';
import type { FindingDraft } from '../findings/finding-draft.js';
import type { FindingAction } from '../model.js';
import { describe } from './exemption-phase.js';
import type { RunState } from './run-state.js';

/** How an action reaches the exemption a finding is about: a direct ARM read, and deletion. */
interface ExemptionHandle {
  confirm(): Promise<{ readonly present: true; readonly expiresOn: string | undefined } | { readonly present: false }>;
  remove(): Promise<void>;
}

function handleOf(run: RunState, draft: FindingDraft): ExemptionHandle | undefined {
  if (draft.mechanism === 'standard') {
    const target = run.standardTargetOf(draft.subject);
    if (!target) return undefined;
    return {
      confirm: async () => {
        const confirmed = await run.ports.arm.confirmStandardExemption(target);
        return confirmed.state === 'present' ? { present: true, expiresOn: confirmed.exemption.expiresOn } : { present: false };
      },
      remove: () => run.ports.arm.deleteStandardExemption(target),
    };
  }
  const target = run.targetOf(draft.subject);
  if (!target) return undefined;
  return {
    confirm: async () => {
      const confirmed = await run.ports.arm.confirmExemption(target);
      return confirmed.state === 'present' ? { present: true, expiresOn: confirmed.exemption.expiresOn } : { present: false };
    },
    remove: () => run.ports.arm.deleteExemption(target),
  };
}

/** Requests acted on at once: each one's notices and writes are independent of the others'. */
const ACTION_CONCURRENCY = 8;

/**
 * Acts on managed findings that call for it; everything else is reported only. A request's findings
 * are handled in order by one worker (so it gets one notice per threshold however many exemptions it
 * has); different requests in parallel, since mail and ARM round trips dominate.
 */
export async function actOnManaged(run: RunState, drafts: FindingDraft[]): Promise<FindingDraft[]> {
  if (run.dryRun) return drafts;
  const acted = [...drafts];
  const byRequest = new Map<string, number[]>();
  drafts.forEach((draft, index) => {
    if (!draft.managed || !draft.requestId || (draft.kind !== 'expiring' && draft.kind !== 'expired')) return;
    byRequest.set(draft.requestId, [...(byRequest.get(draft.requestId) ?? []), index]);
  });
  await inParallel([...byRequest.values()], ACTION_CONCURRENCY, async (indexes) => {
    for (const index of indexes) {
      const draft = drafts[index]!;
      try {
        const action = draft.kind === 'expiring' ? await onExpiring(run, draft) : await onExpired(run, draft);
        if (action !== draft.action) acted[index] = { ...draft, action };
      } catch (error) {
        run.error(`${draft.kind} ${draft.subject}: ${describe(error)}`);
      }
    }
  });
  return acted;
}

async function onExpiring(run: RunState, draft: FindingDraft): Promise<FindingAction> {
  if (run.recorder.noticed(draft)) return 'none';
  const once = `${draft.requestId}|expiring|${draft.threshold}`;
  const already = run.noticesSent.get(once);
  if (already) return already as FindingAction;
  const moved = await moveBySweep(run.requestPorts, draft.requestId!, (r) => (r.state === 'applied' ? 'expiring' : undefined), `expires on ${draft.expiresOn} (${draft.threshold}-day warning)`);
  const request = moved ?? (await run.ports.requests.get(draft.requestId!))?.value;
  if (!request) return 'none';
  await run.ports.notices.expiring(request, { expiresOn: draft.expiresOn!, thresholdDays: Number(draft.threshold) });
  run.noticesSent.set(once, 'renewal-offered');
  return 'renewal-offered';
}

/**
 * An expired row is checked with ARM before the request is called expired (it may have been renewed
 * since the row was indexed); deletion, when enabled, is checked the same way and only ever touches
 * an exemption a stored request created. Policy and Defender exemptions alike: only the ARM calls differ.
 */
async function onExpired(run: RunState, draft: FindingDraft): Promise<FindingAction> {
  const requestState = run.index.requestStateOf(draft.subject);
  const after = run.rules.deleteExpiredAfterDays;
  const needsMove = requestState === 'applied' || requestState === 'expiring';
  const deletionDue = after !== undefined && draft.expiresOn !== undefined && run.nowMs - Date.parse(draft.expiresOn) >= after * DAY_MS;
  // Nothing to do: no ARM call either (an expired exemption is seen every night until it is deleted).
  if (!needsMove && !deletionDue) return 'none';
  const handle = handleOf(run, draft);
  if (!handle) return 'none';
  const confirmed = await handle.confirm();
  if (!confirmed.present) return 'none';
  const expiresOn = confirmed.expiresOn;
  if (expiresOn === undefined || Date.parse(expiresOn) > run.nowMs) return 'none';
  let action: FindingAction = 'none';
  const requestId = draft.requestId!;
  const moved = await moveBySweep(run.requestPorts, requestId, (r) => (r.state === 'applied' || r.state === 'expiring' ? 'expired' : undefined), `expired on ${expiresOn}`);
  if (moved) action = 'marked-expired';
  if (moved && !run.recorder.noticed(draft) && !run.noticesSent.has(`${requestId}|expired|`)) {
    await run.ports.notices.expired(moved);
    run.noticesSent.set(`${requestId}|expired|`, 'notified');
    action = 'notified';
  }
  if (after !== undefined && run.nowMs - Date.parse(expiresOn) >= after * DAY_MS) {
    await handle.remove();
    run.deleted.add(draft.subject.toLowerCase());
    const removed = await moveBySweep(run.requestPorts, requestId, (r) => (r.state === 'expired' && allDeleted(run, r.exemptions) ? 'removed' : undefined),
      `deleted ${draft.subject}, expired on ${expiresOn} (more than ${after} days ago)`);
    if (removed) await run.ports.notices.removed(removed);
    action = 'deleted';
  }
  return action;
}

/** A request with several exemptions is removed once the sweep has deleted the last of them. */
function allDeleted(run: RunState, exemptions: readonly { readonly id: string }[]): boolean {
  return exemptions.every((e) => run.deleted.has(e.id.toLowerCase()));
}

