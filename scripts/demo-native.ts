/**
 * The Defender-native part of `npm run demo`: a user selects two machines in the blade of a recommendation
 * that Defender evaluates with its own engine — an Azure VM and an AWS EC2 instance seen through a
 * security connector — and the relay forwards one event per machine. They join one request, reviewed
 * once; approved, each machine gets an `Exempt` standard assignment (no Azure Policy is involved).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFENDER, SEED } from '../test/sim/seed-ids.js';
import { defenderEvent } from '../test/support/defender-event.js';
import type { LocalEnvironment } from '../test/support/local-environment.js';
import { eventually, openReview, reviewLinkIn, submitReview } from '../test/support/review-flow.js';

type Say = (title: string, detail?: string) => void;

interface RequestView {
  id: string;
  state: string;
  targets: Array<{ resourceId: string; standards?: Array<{ assignedStandardId: string; displayName?: string; standardAssignmentId: string }> }>;
  exemptions: Array<{ kind?: string; id: string }>;
}

export async function demoNativeRecommendation(api: string, baseUrl: string, environment: LocalEnvironment, out: string, say: Say): Promise<void> {
  const machines = [DEFENDER.azureResource, DEFENDER.awsResource];
  const extra = { requestedBy: 'dev.owner@contoso.com', justification: 'The flagged strings are test fixtures, not secrets; reviewed by AppSec.' };
  const answers = await Promise.all(machines.map(async (resourceId) => {
    const response = await fetch(`${api}/exemption-requests`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(defenderEvent(resourceId, DEFENDER.nativeAssessmentKey, { extra })),
    });
    const body = await response.json() as { id: string };
    if (response.status >= 300) throw new Error(`intake answered ${response.status}: ${JSON.stringify(body)}`);
    return { status: response.status, id: body.id };
  }));
  const ids = [...new Set(answers.map((a) => a.id))];
  say(`Two machines selected in the blade of a Defender-native recommendation: the relay posted ${answers.length} events → ${answers.map((a) => a.status).join(', ')}`,
    `recommendation ${DEFENDER.nativeAssessmentKey} ("Machines should have secrets findings resolved"; no Azure Policy behind it)\n${machines.join('\n')}\n→ ${ids.length === 1 ? `one request, ${ids[0]}` : `requests ${ids.join(', ')}`}`);

  for (const id of ids) {
    const notified = await eventually(async () => {
      const body = await (await fetch(`${api}/exemption-requests/${id}`)).json() as RequestView & { approvers: string[] };
      return body.state === 'notified' ? body : undefined;
    }, 'the approvers to be emailed once the burst window closed', 120_000);
    say(`Request ${id} was reviewed as one: ${notified.targets.length} machine(s), each exempted from the standard that contains the recommendation`,
      notified.targets.map((t) => `${t.resourceId}\n  Defender standard assignment (Exempt) for ${t.standards?.map((s) => `${s.displayName ?? s.assignedStandardId}, via ${s.standardAssignmentId}`).join('; ')}`).join('\n'));
    const approver = SEED.contactEmails[SEED.subscriptions.production]![1]!;
    const mail = environment.sim.smtp.messages().find((m) => m.text.includes(id) && m.to.includes(approver));
    if (!mail) throw new Error(`no review e-mail reached ${approver} for ${id}`);
    const review = await openReview(reviewLinkIn(mail));
    await writeFile(join(out, 'review-page-native.html'), review.html);
    const decided = await submitReview(baseUrl, review, { decision: 'approve', comment: 'AppSec confirmed the findings are fixtures.' });
    say(`${approver} approved it on the review page → ${decided.status} (page saved as ${join(out, 'review-page-native.html')})`);

    const final = await eventually(async () => {
      const body = await (await fetch(`${api}/exemption-requests/${id}`)).json() as RequestView;
      return ['applied', 'failed'].includes(body.state) ? body : undefined;
    }, 'the worker to apply the standard assignments', 30_000);
    const created = environment.sim.standardAssignments().filter((a) => final.exemptions.some((e) => e.id.toLowerCase() === a.id.toLowerCase()));
    await writeFile(join(out, `standard-assignments-${id}.json`), JSON.stringify(created, null, 2));
    say(`The apply worker finished: ${final.state}, ${created.length} Exempt standard assignment(s) in the simulated tenant`, JSON.stringify(created, null, 2));
    if (final.state !== 'applied' || created.length !== final.targets.length) throw new Error(`the Defender-native request did not end with its exemptions: ${JSON.stringify(final)}`);
  }
}
