import { requeueStuck } from '../../requests/requeue-stuck.js';
import { draftFor, type FindingDraft } from '../findings/finding-draft.js';
import type { ExemptionRequest } from '../../requests/model.js';
import type { FindingAction } from '../model.js';
import { describe } from './exemption-phase.js';
import type { RunState } from './run-state.js';

const WAITING_FOR_APPLY = ['approved', 'applying'] as const;
const LIMIT = 100;

/**
 * Approved or applying requests with no progress. The requeue timer already sends their apply message
 * again every few minutes; the sweep reports them (so a stuck request reaches the digest, not just a log)
 * and requeues the ones the timer has not reached yet, through the same use case.
 */
export async function stuckPhase(run: RunState): Promise<void> {
  const idleSince = new Date(run.nowMs - run.rules.stuckAfterMinutes * 60_000).toISOString();
  try {
    const idle = await run.ports.requests.listIdle(WAITING_FOR_APPLY, idleSince, LIMIT);
    let requeued = new Set<string>();
    if (!run.dryRun && idle.length > 0) {
      const report = await requeueStuck({ clock: run.ports.clock, store: run.ports.requests, applyQueue: run.ports.applyQueue }, { stuckAfterMinutes: run.rules.stuckAfterMinutes });
      requeued = new Set(report.requeued);
    }
    const drafts: FindingDraft[] = idle.map(({ value }) => stuckDraft(value, requeued.has(value.id) ? 'requeued' : 'none'));
    await run.recorder.record(drafts);
  } catch (error) {
    run.error(`stuck-request check failed: ${describe(error)}`);
  }
  run.progress('stuck');
}

function stuckDraft(request: ExemptionRequest, action: FindingAction): FindingDraft {
  const facts = {
    id: `request:${request.id}`, subscriptionId: request.subscriptionId.toLowerCase(), scope: request.targets[0]?.resourceId ?? `/subscriptions/${request.subscriptionId}`,
    policyAssignmentId: undefined, displayName: request.recommendation.displayName, expiresOn: request.expiresOn, requestId: request.id, managed: true,
  };
  return draftFor(facts, 'stuck', `Request ${request.state} with no progress since ${request.updatedAt}.`, '', action);
}
