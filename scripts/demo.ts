/**
 * npm run demo — walks the closed loop on the local host against the simulated tenant, as a user would:
 * a Defender recommendation event arrives, the security contacts are emailed, one opens the review link
 * and approves, the worker creates the exemptions; a second request is approved on its Teams card by another
 * approver, the card replaced in place; a Defender-native recommendation selected on an Azure VM and an AWS
 * instance becomes one request and two standard-assignment exemptions. Everything it shows is saved under .artifacts/demo/.
 * `npm run demo -- --from jira` starts the first request from a Jira issue instead, decided by a transition.
 * `npm run demo -- --keep` leaves the host, Azurite and the simulator running for exploration.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SEED } from '../test/sim/seed-ids.js';
import type { SimMail } from '../test/sim/index.js';
import { defenderEvent } from '../test/support/defender-event.js';
import { startLocalEnvironment, type LocalEnvironment } from '../test/support/local-environment.js';
import { eventually, openReview, reviewLinkIn, submitReview } from '../test/support/review-flow.js';
import { demoJiraRequest, startDemoJira } from './demo-jira.js';
import { demoNativeRecommendation } from './demo-native.js';
import { demoTeamsApproval, installInChannel, startDemoTeams } from './demo-teams.js';
import { startLocalHost } from './local-host/start-local-host.js';

const keep = process.argv.includes('--keep');
const from = process.argv.includes('--from') ? process.argv[process.argv.indexOf('--from') + 1] : 'defender';
if (from !== 'defender' && from !== 'jira') {
  console.error('usage: npm run demo -- [--from defender|jira] [--keep]');
  process.exit(2);
}
const out = join('.artifacts', 'demo');
let step = 0;
const say = (title: string, detail?: string) => console.log(`\n${++step}. ${title}${detail ? `\n   ${detail.replace(/\n/g, '\n   ')}` : ''}`);

async function main(): Promise<void> {
  await mkdir(out, { recursive: true });
  const { teams, env: teamsEnv } = await startDemoTeams();
  const jira = from === 'jira' ? await startDemoJira() : undefined;
  // A short burst window, so the blade's two events below join one request without a minute's wait.
  const environment = await startLocalEnvironment({ extraEnv: { ...teamsEnv, ...jira?.env, COALESCE_WINDOW_SECONDS: '3' } });
  const hostLog: string[] = [];
  // 7071 is what `func start` uses; when something else holds it, any port will do.
  const host = await startLocalHost({
    env: environment.env, port: 7071, anyPortIfTaken: true, hostname: 'localhost',
    visibilityTimeoutSeconds: 5, pollIntervalMs: 200, log: (line) => hostLog.push(line),
  });
  const api = `${host.baseUrl}/api`;
  say('Started Azurite, the simulated tenant and the local Functions host', `${api}/exemption-requests\nARM: ${environment.sim.armEndpoint}`);
  try {
    await installInChannel(teams, `${api}/messages`, say);
    const link = jira ? undefined : await demoDefenderRequest(api, host.baseUrl, environment);
    if (jira) await demoJiraRequest(api, jira.jira, out, say);
    await demoNativeRecommendation(api, host.baseUrl, environment, out, say);
    if (environment.sim.violations.length > 0) throw new Error(`requests that broke the ARM specs: ${JSON.stringify(environment.sim.violations)}`);

    await demoTeamsApproval(api, `${api}/messages`, teams, out, say);

    await demoSweep(api, () => environment.sim.smtp.messages());
    await saveMails(environment.sim.smtp.messages());
    if (environment.sim.violations.length > 0) throw new Error(`requests that broke the ARM specs: ${JSON.stringify(environment.sim.violations)}`);

    if (keep) {
      say('Still running (Ctrl+C to stop)', `API: ${api}/exemption-requests\nReview link: ${link ?? '(the request came from Jira)'}\nARM: ${environment.sim.armEndpoint}\nSMTP sink: ${environment.sim.smtp.host}:${environment.sim.smtp.port}`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
  } finally {
    await host.stop();
    await environment.stop();
    await teams.close();
    await jira?.jira.close();
    await writeFile(join(out, 'host.log'), hostLog.join('\n'));
  }
  console.log(`\nDemo finished: exemptions created (${from === 'jira' ? 'from a Jira issue' : 'by e-mail'} and on a Teams card) and swept; everything stopped.`);
}

/** The closed loop from the blade: a Defender event, the contacts' e-mail, the signed review page, the exemptions. */
async function demoDefenderRequest(api: string, baseUrl: string, environment: LocalEnvironment): Promise<string> {
  const { resourceId, assessmentKey } = SEED.twoAssignments;
  const event = defenderEvent(resourceId, assessmentKey, { extra: { requestedBy: 'dev.owner@contoso.com', justification: 'Reached only through a private endpoint; public network access is disabled.' } });
  const intake = await fetch(`${api}/exemption-requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
  const created = await intake.json() as { id: string; state: string; targets: { assignments: { policyAssignmentId: string }[] }[] };
  if (intake.status !== 202) throw new Error(`intake answered ${intake.status}: ${JSON.stringify(created)}`);
  say(`The relay posted a Defender recommendation event → ${intake.status}, request ${created.id} (${created.state})`,
    `resource: ${resourceId}\ncovered by:\n${created.targets[0]!.assignments.map((a) => `  - ${a.policyAssignmentId}`).join('\n')}`);

  const notified = await eventually(async () => {
    const body = await (await fetch(`${api}/exemption-requests/${created.id}`)).json() as { state: string; approvers: string[] };
    return body.state === 'notified' ? body : undefined;
  }, 'the approvers to be emailed', 20_000);
  const all = environment.sim.smtp.messages().filter((m) => m.text.includes(created.id));
  const mail = all.find((m) => m.to.includes(notified.approvers[0]!))!;
  await saveMails(all);
  say(`Security contacts were emailed (${all.length} messages, saved as .eml in ${out})`, all.map((m) => `${m.to.join(', ')}: ${m.subject}`).join('\n'));

  const link = reviewLinkIn(mail);
  const review = await openReview(link);
  await writeFile(join(out, 'review-page.html'), review.html);
  say(`${mail.to[0]} opened the review link → ${review.status}`, `${link.slice(0, 90)}…\n(saved as ${join(out, 'review-page.html')})`);

  const decided = await submitReview(baseUrl, review, { decision: 'approve', comment: 'Accepted until the network migration in Q2.' });
  say(`and approved → ${decided.status}`);

  const final = await eventually(async () => {
    const response = await fetch(`${api}/exemption-requests/${created.id}`);
    const body = await response.json() as { state: string };
    return ['applied', 'failed'].includes(body.state) ? body : undefined;
  }, 'the worker to apply the exemptions', 30_000) as { state: string; exemptions: { id: string }[]; auditTrail: { at: string; actor: string; action: string; detail?: string }[]; lastError?: unknown };
  const exemptions = environment.sim.exemptions().filter((e) => e.properties.metadata?.requestId === created.id);
  await writeFile(join(out, 'exemptions.json'), JSON.stringify(exemptions, null, 2));
  say(`The apply worker finished: ${final.state}, ${exemptions.length} exemption(s) in the simulated tenant`, JSON.stringify(exemptions, null, 2));
  say('Audit trail', final.auditTrail.map((e) => `${e.at}  ${e.action.padEnd(18)} ${e.actor}${e.detail ? ` — ${e.detail}` : ''}`).join('\n'));
  await saveMails(environment.sim.smtp.messages());
  if (final.state !== 'applied' || exemptions.length === 0) throw new Error(`the loop did not end with exemptions: ${JSON.stringify(final.lastError)}`);
  if (environment.sim.violations.length > 0) throw new Error(`requests that broke the ARM specs: ${JSON.stringify(environment.sim.violations)}`);

  return link;
}

/** The nightly sweep, started on demand: what it found in the tenant, the report page and the digest. */
async function demoSweep(api: string, mails: () => readonly SimMail[]): Promise<void> {
  const mailsBefore = mails().length;
  const started = await fetch(`${api}/sweeps`, { method: 'POST' });
  const queued = await started.json() as { id: string; status: string };
  if (started.status !== 202) throw new Error(`POST /api/sweeps answered ${started.status}: ${JSON.stringify(queued)}`);
  say(`Started a sweep on demand → ${started.status}, run ${queued.id} (${queued.status})`, started.headers.get('location') ?? '');
  const run = await eventually(async () => {
    const body = await (await fetch(`${api}/sweeps/${queued.id}`)).json() as SweepView;
    return ['succeeded', 'partial', 'failed'].includes(body.status) ? body : undefined;
  }, 'the sweep worker to finish', 60_000);
  const counts = Object.entries(run.counts.byKind).map(([kind, n]) => `${kind}: ${n}`).join(', ');
  say(`The sweep finished: ${run.status}, ${run.counts.exemptions} exemptions in ${run.counts.subscriptions} subscription(s), ${run.counts.findings} findings`,
    `${counts}\n${run.calls.resourceGraphQueries} Resource Graph queries, ${run.calls.armCalls} ARM calls${run.errors.length ? `\nproblems: ${run.errors.join('; ')}` : ''}`);
  const csv = await (await fetch(run.links.findingsCsv)).text();
  await writeFile(join(out, 'sweep-findings.csv'), csv);
  const findings = csv.trim().split('\n').slice(1).map((line) => line.split(','));
  say('Findings', findings.map((cells) => `${cells[1]?.padEnd(18)} ${cells[3]}`).join('\n') + `\n(saved as ${join(out, 'sweep-findings.csv')})`);
  const report = await fetch(run.links.report);
  await writeFile(join(out, 'sweep-report.html'), await report.text());
  say(`The report page → ${report.status} (saved as ${join(out, 'sweep-report.html')})`, run.links.report.replace(/t=[^&]+/, 't=…'));
  const digests = mails().slice(mailsBefore);
  say(`The digest of new findings went out (${digests.length} message${digests.length === 1 ? '' : 's'})`, digests.map((m) => `${m.to.join(', ')}: ${m.subject}`).join('\n'));
  if (run.status === 'failed' || report.status !== 200) throw new Error(`the sweep did not finish well: ${JSON.stringify(run.errors)}`);
}

interface SweepView {
  status: string;
  counts: { exemptions: number; subscriptions: number; findings: number; byKind: Record<string, number> };
  calls: { resourceGraphQueries: number; armCalls: number };
  errors: string[];
  links: { findingsCsv: string; report: string };
}

async function saveMails(mails: readonly SimMail[]): Promise<void> {
  await Promise.all(mails.map((m, i) => writeFile(join(out, `mail-${String(i + 1).padStart(2, '0')}.eml`), m.raw)));
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(`\nDemo failed: ${String((error as Error)?.stack ?? error)}`);
  process.exit(1);
});
