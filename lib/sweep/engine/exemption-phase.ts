import { ArmError } from '../../azure/arm-error.js';
import { inParallel } from '../../core/in-parallel.js';
import { DAY_MS } from '../../core/time.js';
import { moveBySweep } from '../../requests/sweep-transitions.js';
import type { FindingDraft } from '../findings/finding-draft.js';
import { exemptionFindings, factsOf } from '../findings/exemption-rules.js';
import { resourceTypeOf } from '../sources/catalog-rows.js';
import type { InventoryExemption } from '../inventory.js';
import type { FindingAction } from '../model.js';
import type { RunState } from './run-state.js';

/**
 * Reads every exemption page by page: the findings each row shows on its own, the actions on managed
 * ones (notices, expiry, deletion when enabled), and what the later phases need, kept compactly. A
 * page is stored before the next one is read, so a run that fails half-way keeps what it had.
 */
export async function exemptionPhase(run: RunState): Promise<void> {
  const fallbackSubscriptions = [...new Set([...run.scope.subscriptions, ...run.index.subscriptions])];
  try {
    for await (const page of run.ports.inventory.exemptions(run.scope, fallbackSubscriptions)) {
      run.pageRead('exemptions', page.items.length);
      for (const problem of page.problems) run.error(`${problem.source} row ${problem.rowId ?? '(no id)'}: ${problem.reason}`);
      if (page.failedSubscription) run.failedSubscriptions.add(page.failedSubscription.toLowerCase());
      const drafts: FindingDraft[] = [];
      for (const exemption of page.items) drafts.push(...(await inspect(run, exemption)));
      await run.recorder.record(await act(run, drafts));
      run.progress('exemptions', page.totalRecords);
    }
  } catch (error) {
    run.exemptionsComplete = false;
    run.error(`exemption inventory stopped early: ${describe(error)}`);
  }
}

async function inspect(run: RunState, exemption: InventoryExemption): Promise<FindingDraft[]> {
  run.exemptions++;
  run.subscriptions.add(exemption.scope.subscriptionId.toLowerCase());
  const managed = run.index.claim(exemption.id);
  const assignment = await run.catalog.state(exemption.policyAssignmentId);
  const drafts = exemptionFindings(exemption, { now: run.now, warnDays: run.rules.warnDays, managed, assignment });
  const expired = exemption.expiresOn !== undefined && Date.parse(exemption.expiresOn) <= run.nowMs;
  if (!expired) run.chartExpiry(exemption.expiresOn);
  const type = resourceTypeOf(exemption.scope);
  if (type) {
    const definitions = (await run.catalog.exemptedPolicies(exemption.policyAssignmentId, exemption.policyDefinitionReferenceIds)) ?? [];
    const ownership = drafts.find((d) => d.kind === 'unmanaged' || d.kind === 'selfServe');
    const facts = factsOf(exemption, managed);
    run.ledger.add(facts.scope, type, {
      facts, definitions, active: !expired,
      changedAt: changedAt(run, exemption, managed?.changedAt, expired, ownership),
    });
  }
  return drafts;
}

/**
 * When Defender's clock started: an expiry is a known moment, and so is a managed exemption's last
 * approved change. For one made elsewhere nothing says when it was made, so the first run that saw it
 * stands in (the first-seen time of its unmanaged finding).
 */
function changedAt(run: RunState, exemption: InventoryExemption, managedChange: string | undefined, expired: boolean, ownership: FindingDraft | undefined): number | undefined {
  if (expired) return Date.parse(exemption.expiresOn!);
  if (managedChange) return Date.parse(managedChange);
  const firstSeen = ownership ? run.recorder.earlier(ownership)?.firstSeen : undefined;
  return firstSeen ? Date.parse(firstSeen) : run.nowMs;
}

/** Requests acted on at once: each one's notices and writes are independent of the others'. */
const ACTION_CONCURRENCY = 8;

/**
 * Acts on managed findings that call for it; everything else is reported only. A request's findings
 * are handled in order by one worker (so it gets one notice per threshold however many exemptions it
 * has); different requests in parallel, since mail and ARM round trips dominate.
 */
async function act(run: RunState, drafts: FindingDraft[]): Promise<FindingDraft[]> {
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
 * an exemption a stored request created.
 */
async function onExpired(run: RunState, draft: FindingDraft): Promise<FindingAction> {
  const entry = run.index.peek(draft.subject);
  const after = run.rules.deleteExpiredAfterDays;
  const needsMove = entry?.requestState === 'applied' || entry?.requestState === 'expiring';
  const deletionDue = after !== undefined && draft.expiresOn !== undefined && run.nowMs - Date.parse(draft.expiresOn) >= after * DAY_MS;
  // Nothing to do: no ARM call either (an expired exemption is seen every night until it is deleted).
  if (!needsMove && !deletionDue) return 'none';
  const target = run.targetOf(draft.subject);
  if (!target) return 'none';
  const confirmed = await run.ports.arm.confirmExemption(target);
  if (confirmed.state !== 'present') return 'none';
  const expiresOn = confirmed.exemption.expiresOn;
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
    await run.ports.arm.deleteExemption(target);
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

export function describe(error: unknown): string {
  if (error instanceof ArmError) return `${error.status} ${error.code}: ${error.message}`;
  return String((error as Error)?.message ?? error);
}
