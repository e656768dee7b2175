import { deliverable } from '../../notify/recipients.js';
import type { SweepFinding, SweepRun } from '../model.js';
import { describe } from './exemption-phase.js';
import type { RunState } from './run-state.js';

const DIGEST_CAP = 200;

/**
 * New findings only, once per run. With SWEEP_DIGEST_TO set, one digest of everything goes there;
 * otherwise each subscription's security contacts get that subscription's findings, and the fallback
 * approvers get everything. Digest failures are recorded on the run, never fatal.
 */
export async function digestPhase(run: RunState, record: SweepRun): Promise<void> {
  const recorder = run.recorder;
  if (run.dryRun || recorder.newCount === 0) return;
  const all = () => [...recorder.newFindings.values()].flat().slice(0, DIGEST_CAP);
  const send = async (to: readonly string[], findings: readonly SweepFinding[], total: number) => {
    const recipients = deliverable(to);
    if (recipients.length === 0) return;
    try {
      await run.ports.notices.digest(recipients, record, findings, total);
    } catch (error) {
      run.error(`digest to ${recipients.join(', ')} failed: ${describe(error)}`);
    }
  };
  if (run.rules.digestTo.length > 0) {
    await send(run.rules.digestTo, all(), recorder.newCount);
    return;
  }
  await send(run.rules.fallbackApprovers, all(), recorder.newCount);
  for (const [subscriptionId, findings] of recorder.newFindings) {
    let contacts: readonly string[] = [];
    try {
      contacts = await run.ports.securityContacts(subscriptionId);
    } catch (error) {
      run.error(`security contacts of ${subscriptionId} unreadable: ${describe(error)}`);
    }
    // Fallback approvers already have everything.
    const fallback = new Set(run.rules.fallbackApprovers.map((a) => a.toLowerCase()));
    await send(contacts.filter((c) => !fallback.has(c.toLowerCase())), findings, recorder.newPerSubscription.get(subscriptionId) ?? findings.length);
  }
}
