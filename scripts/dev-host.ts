/**
 * npm run dev — serves every function on http://localhost:7071/api/... (what `func start` uses) with the
 * queue triggers running, against the simulated tenant and Azurite unless real settings are given:
 * set ARM_ENDPOINT (and the rest, see local.settings.sample.json) in the environment or in
 * local.settings.json to use a real tenant.
 */
import { readFile } from 'node:fs/promises';
import { startLocalHost } from './local-host/start-local-host.js';
import { startLocalEnvironment } from '../test/support/local-environment.js';
import { reviewLinkIn } from '../test/support/review-flow.js';

const port = Number(process.env.PORT ?? 7071);

async function localSettings(): Promise<Record<string, string>> {
  try {
    const file = JSON.parse(await readFile('local.settings.json', 'utf8')) as { Values?: Record<string, string> };
    return file.Values ?? {};
  } catch {
    return {};
  }
}

async function main(): Promise<void> {
  const configured = { ...(await localSettings()), ...definedEnv() };
  const useRealTenant = Boolean(configured.ARM_ENDPOINT);
  const environment = useRealTenant ? undefined : await startLocalEnvironment();
  // On the simulator every setting points at it; a real tenant takes what was configured.
  const env = environment ? environment.env : configured;
  // A port asked for is kept or refused, never swapped: tunnels and Teams point at it.
  const host = await startLocalHost({ env, port, hostname: 'localhost' });
  console.log(`exemption-broker dev host on ${host.baseUrl}/api/`);
  for (const f of host.functions) {
    const trigger = f.kind === 'http' ? `[${f.methods.join(',')}] ${host.baseUrl}/api/${f.route}` : f.kind === 'queue' ? `queue ${f.queueName}` : `timer ${f.schedule} (UTC)`;
    console.log(`  ${f.name}: ${trigger}`);
  }
  let shown = 0;
  const showMail = environment && setInterval(() => {
    // The simulator's SMTP sink is in this process: show each mail, with its review link, as it arrives.
    for (const mail of environment.sim.smtp.messages().slice(shown)) {
      const link = mail.text.includes('/api/review?token=') ? `\n  review: ${reviewLinkIn(mail)}` : '';
      console.log(`mail to ${mail.to.join(', ')}: ${mail.subject}${link}`);
      shown++;
    }
  }, 500);
  if (environment) {
    console.log(`simulated tenant: ARM ${environment.sim.armEndpoint}, SMTP sink ${environment.sim.smtp.host}:${environment.sim.smtp.port}`);
    console.log('emails sent by the app are printed here as they arrive');
  }
  let stopping = false;
  const stop = async () => {
    // Ctrl+C reaches every process of the npm → tsx → node chain; stop once.
    if (stopping) return;
    stopping = true;
    if (showMail) clearInterval(showMail);
    await host.stop();
    await environment?.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function definedEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && /^(Azure|AZURE_|ARM_|PUBLIC_|REVIEW_|FALLBACK_|EMAIL_|ACS_|SMTP_|MAX_|DEFAULT_|REQUEUE_|WEBHOOK_|BOT_)/.test(e[0])));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
