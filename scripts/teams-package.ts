/**
 * Fills the bot id into infra/teams/manifest.json and zips it with the icons, ready to upload
 * in Teams (Apps > Manage your apps > Upload an app) or the Teams admin center.
 *   npm run teams:package -- --bot-id <BOT_ID output of the deployment>
 * With azd, BOT_ID is in the environment after `azd up`: `azd env get-value BOT_ID`.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import AdmZip from 'adm-zip';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TEAMS_DIR = join(ROOT, 'infra', 'teams');
export const OUT_ZIP = join(ROOT, '.artifacts', 'teams', 'exemption-broker-teams.zip');

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The manifest with every {{BOT_ID}} replaced; refuses anything but a GUID and leftover placeholders. */
export function fillManifest(template: string, botId: string): Record<string, unknown> {
  if (!GUID.test(botId)) throw new Error(`bot id must be a GUID (the BOT_ID output of the deployment), got "${botId}"`);
  const filled = template.replaceAll('{{BOT_ID}}', botId.toLowerCase());
  const left = /\{\{\w+\}\}/.exec(filled);
  if (left) throw new Error(`manifest still has placeholder ${left[0]}`);
  return JSON.parse(filled) as Record<string, unknown>;
}

export function teamsPackage(botId: string, outZip = OUT_ZIP): string {
  const manifest = fillManifest(readFileSync(join(TEAMS_DIR, 'manifest.json'), 'utf8'), botId);
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
  // Teams wants the icons at the zip root, named as the manifest names them.
  const icons = manifest['icons'] as { color: string; outline: string };
  for (const icon of [icons.color, icons.outline]) zip.addFile(icon, readFileSync(join(TEAMS_DIR, icon)));
  mkdirSync(dirname(outZip), { recursive: true });
  zip.writeZip(outZip);
  return outZip;
}

function botIdFromArgs(argv: string[]): string | undefined {
  const at = argv.indexOf('--bot-id');
  return at >= 0 ? argv[at + 1] : process.env['BOT_ID'];
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const botId = botIdFromArgs(process.argv.slice(2));
    if (!botId) throw new Error('usage: tsx scripts/teams-package.ts --bot-id <guid>   (or set BOT_ID)');
    console.log(`Teams app package: ${relative(ROOT, teamsPackage(botId))}`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
