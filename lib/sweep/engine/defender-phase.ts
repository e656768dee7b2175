import { draftFor, type FindingDraft } from '../findings/finding-draft.js';
import type { DefenderVerdict } from '../findings/resource-ledger.js';
import type { FindingAction } from '../model.js';
import { describe } from './exemption-phase.js';
import type { RunState } from './run-state.js';

/**
 * Streams Defender's assessments and compares each with the exemptions on its resource. A mismatch
 * counts only once Defender has had SWEEP_DEFENDER_LAG_HOURS since the change; then an evaluation of
 * the resource group is triggered, at most once per resource group per run.
 */
export async function defenderPhase(run: RunState): Promise<void> {
  if (run.ledger.size === 0) return;
  try {
    for await (const page of run.ports.inventory.assessments(run.scope)) {
      run.pageRead('assessments', page.items.length);
      for (const problem of page.problems) run.error(`assessment row ${problem.rowId ?? '(no id)'}: ${problem.reason}`);
      const drafts: FindingDraft[] = [];
      for (const assessment of page.items) {
        run.assessments++;
        for (const verdict of run.ledger.judge(assessment)) {
          if (!lagPassed(run, verdict)) continue;
          drafts.push(await mismatch(run, verdict));
        }
      }
      await run.recorder.record(drafts);
      run.progress('assessments', page.totalRecords);
    }
  } catch (error) {
    run.error(`Defender check stopped early: the assessment listing failed (${describe(error)})`);
  }
}

function lagPassed(run: RunState, verdict: DefenderVerdict): boolean {
  const changedAt = verdict.coverage.changedAt;
  return changedAt !== undefined && run.nowMs - changedAt >= run.lagMs;
}

async function mismatch(run: RunState, verdict: DefenderVerdict): Promise<FindingDraft> {
  const { facts } = verdict.coverage;
  const detail = verdict.expected === 'Exempt'
    ? `Defender still shows ${verdict.shown} more than ${run.rules.defenderLagHours} h after the exemption took effect.`
    : `Defender still shows ${verdict.shown} more than ${run.rules.defenderLagHours} h after the exemption ended.`;
  const draft = draftFor(facts, 'defenderMismatch', detail);
  return { ...draft, action: await triggerOnce(run, facts.scope) };
}

async function triggerOnce(run: RunState, resourceId: string): Promise<FindingAction> {
  const match = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)/i.exec(resourceId);
  if (run.dryRun || !match) return 'none';
  const key = `${match[1]}/${match[2]}`.toLowerCase();
  if (run.evaluated.has(key)) return 'evaluation-triggered';
  run.evaluated.add(key);
  try {
    await run.ports.arm.triggerEvaluation(match[1]!, match[2]!);
    return 'evaluation-triggered';
  } catch (error) {
    run.error(`could not trigger a policy evaluation of ${key}: ${describe(error)}`);
    return 'none';
  }
}
