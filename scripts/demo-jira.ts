/**
 * The Jira part of `npm run demo -- --from jira`: a risk-acceptance issue opened in (simulated) Jira Cloud
 * becomes the request, an approver's transition to "Risk accepted" decides it, and the issue gets a comment
 * for each step the request takes.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_TICKET_MAPPINGS } from '../lib/tickets/mapping.js';
import { jiraIssueCreated, jiraIssueTransitioned, type JiraIssue } from '../test/fixtures/tickets/jira.js';
import { SEED } from '../test/sim/seed-ids.js';
import { startJiraSim, type JiraSim } from '../test/sim/tickets/jira-sim.js';
import { trustSimCertificate } from '../test/sim/tls.js';
import { eventually } from '../test/support/review-flow.js';

type Say = (title: string, detail?: string) => void;

/** Started before the host: the app is told its Jira site, credentials and webhook secret in its settings. */
export async function startDemoJira(): Promise<{ jira: JiraSim; env: Record<string, string> }> {
  const jira = await startJiraSim();
  trustSimCertificate(jira.caCertPem);
  return {
    jira,
    env: {
      WEBHOOK_SECRET_JIRA: jira.webhookSecret,
      JIRA_BASE_URL: jira.baseUrl, JIRA_USER_EMAIL: jira.email, JIRA_API_TOKEN: jira.apiToken,
      TICKET_MAPPINGS: JSON.stringify({ jira: DEFAULT_TICKET_MAPPINGS.jira }),
    },
  };
}

/** A Jira issue opens the request, an approver's transition approves it, the issue follows it to applied. */
export async function demoJiraRequest(api: string, jira: JiraSim, out: string, say: Say): Promise<{ id: string }> {
  const { resourceId, assessmentKey } = SEED.initiativeAndDirect;
  const issue: JiraIssue = {
    key: 'SEC-101', resourceIds: [resourceId], assessmentKey, reporter: 'dev.owner@contoso.com',
    justification: 'The VM is isolated in a lab network; the change board accepted the risk for one quarter.',
    dueDate: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
  };
  const created = await jira.send(`${api}/webhooks/jira`, jiraIssueCreated(issue));
  if (created.status !== 202) throw new Error(`the Jira webhook answered ${created.status}: ${JSON.stringify(created.json)}`);
  const id: string = created.json.id;
  say(`Jira sent a signed jira:issue_created webhook for ${issue.key} → ${created.status}, request ${id}`, `resource: ${resourceId}\nassessment: ${assessmentKey}`);

  const notified = await eventually(async () => {
    const body = await (await fetch(`${api}/exemption-requests/${id}`)).json() as { state: string; approvers: string[] };
    return body.state === 'notified' ? body : undefined;
  }, 'the approvers to be told', 20_000);
  const approver = notified.approvers[0]!;
  const moved = await jira.send(`${api}/webhooks/jira`, jiraIssueTransitioned(issue, 'Risk accepted', { email: approver, accountId: '5b10ac8d82e05b22cc7d4ef5' }, '40001'));
  say(`${approver} moved ${issue.key} to "Risk accepted" → ${moved.status} (${moved.json?.state ?? JSON.stringify(moved.json)})`);

  await eventually(async () => {
    const body = await (await fetch(`${api}/exemption-requests/${id}`)).json() as { state: string };
    return ['applied', 'failed'].includes(body.state) ? body : undefined;
  }, 'the worker to apply the exemptions', 30_000);
  const comments = await eventually(async () => (jira.comments(issue.key).length >= 3 ? jira.comments(issue.key) : undefined), 'three comments on the issue', 30_000);
  await writeFile(join(out, 'jira-comments.json'), JSON.stringify(comments.map((c) => c.body), null, 2));
  say(`${issue.key} received a comment for each step (saved as ${join(out, 'jira-comments.json')})`, comments.map((c) => c.text.split('\n')[0]).join('\n'));
  return { id };
}
