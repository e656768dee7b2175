/**
 * The Teams part of `npm run demo`: the simulated Bot Framework, the app installed in the security
 * channel, a review card arriving there, and a second approver's click on Approve replacing it in place.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SEED } from '../test/sim/seed-ids.js';
import { trustSimCertificate } from '../test/sim/tls.js';
import { startTeamsSim, type SentActivity, type TeamsSim } from '../test/sim/teams/index.js';
import { eventually } from '../test/support/review-flow.js';

export const DEMO_CHANNEL = '19:securityreviewsdemo@thread.tacv2';

type Say = (title: string, detail?: string) => void;

/** Started before the host: the app must be told, in its settings, which Bot Framework to trust. */
export async function startDemoTeams(): Promise<{ teams: TeamsSim; env: Record<string, string> }> {
  const teams = await startTeamsSim({ botAppId: SEED.clientId, tenantId: SEED.tenantId });
  trustSimCertificate(teams.caCertPem);
  return {
    teams,
    env: {
      BOT_APP_ID: SEED.clientId,
      BOT_TENANT_ID: SEED.tenantId,
      BOT_OPENID_METADATA_URL: teams.openIdMetadataUrl,
      TEAMS_CHANNEL_MAP: JSON.stringify({ subscriptions: { [SEED.subscriptions.production]: DEMO_CHANNEL } }),
    },
  };
}

export async function installInChannel(teams: TeamsSim, endpoint: string, say: Say): Promise<void> {
  const admin = teams.addUser({ email: 'teams.admin@contoso.com', name: 'Teams Admin' });
  const res = await teams.post(endpoint, teams.installation({ conversationType: 'channel', conversationId: DEMO_CHANNEL, from: admin }));
  if (res.status !== 200) throw new Error(`installation answered ${res.status}: ${JSON.stringify(res.json)}`);
  say(`The Teams app was installed in the security channel → ${res.status}`, `POST ${endpoint} (installationUpdate, signed by the simulated Bot Framework)`);
}

/** A request for the production subscription, reviewed on its card by a second approver. */
export async function demoTeamsApproval(api: string, endpoint: string, teams: TeamsSim, out: string, say: Say): Promise<void> {
  const bob = teams.addUser({ email: SEED.contactEmails[SEED.subscriptions.production]![2]!, name: 'Bob Approver' });
  const intake = await fetch(`${api}/exemption-requests`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceId: SEED.resources.storageData, policyAssignmentId: SEED.assignments.mcsbProduction,
      policyDefinitionReferenceIds: [SEED.mcsbReferenceIds.secureTransfer],
      justification: 'Legacy SFTP gateway needs plain transfer until its replacement ships in March.',
      requestedBy: 'dev.owner@contoso.com', expiresOn: new Date(Date.now() + 90 * 86_400_000).toISOString(),
    }),
  });
  const { id } = await intake.json() as { id: string };
  if (intake.status !== 202) throw new Error(`intake answered ${intake.status}`);
  say(`A second request, ${id}, was posted through the API → ${intake.status}`);

  const sent = await eventually(async () => teams.activities(DEMO_CHANNEL).find((a) => JSON.stringify(a.activity).includes(id)), 'the review card', 30_000);
  const card = sent.activity.attachments[0].content;
  await writeFile(join(out, 'teams-card.json'), JSON.stringify(card, null, 2));
  say(`The security channel received the review card (activity ${sent.id}; saved as ${join(out, 'teams-card.json')})`, summary(card));

  const data = card.actions.find((a: { verb?: string }) => a.verb === 'approve').data;
  const click = await teams.post(endpoint, teams.cardAction({
    conversationId: DEMO_CHANNEL, activityId: sent.id, from: bob, verb: 'approve',
    data: { ...data, category: 'Mitigated', comment: 'Gateway is IP-restricted; revisit in March.' },
  }));
  await writeFile(join(out, 'teams-card-approved.json'), JSON.stringify(click.json?.value, null, 2));
  say(`${bob.email} pressed Approve on the card → ${click.status}; Teams replaces the card with the answer`, summary(click.json?.value));

  const applied = await eventually(async () => {
    const latest = teams.activities(DEMO_CHANNEL).find((a) => a.id === sent.id)!;
    return JSON.stringify(latest.activity).includes('Exemption request: applied') ? latest : undefined;
  }, 'the card to say applied', 30_000) as SentActivity;
  await writeFile(join(out, 'teams-card-applied.json'), JSON.stringify(applied.activity.attachments[0].content, null, 2));
  say(`Once the worker created the exemptions, the same activity was updated in place (${applied.versions.length} versions of one message)`, summary(applied.activity.attachments[0].content));
}

/** The card as lines: its headline, then each fact's label and value. */
function summary(card: any): string {
  const lines: string[] = [];
  for (const element of card?.body ?? []) {
    if (element.type === 'TextBlock') lines.push(element.text);
    if (element.type === 'Container') {
      const [label, ...values] = element.items;
      const text = values.flatMap((v: any) => (v.inlines ?? []).map((r: any) => r.text)).filter((t: string) => t !== '\n').join(' | ');
      lines.push(`  ${label.text}: ${text.length > 110 ? `${text.slice(0, 109)}…` : text}`);
    }
    if (element.type?.startsWith('Input.')) lines.push(`  [${element.type} ${element.id}${element.value ? ` = ${element.value}` : ''}]`);
  }
  for (const action of card?.actions ?? []) lines.push(`  <${action.title}>`);
  return lines.join('\n');
}
