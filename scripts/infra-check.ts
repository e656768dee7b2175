/**
 * npm run infra:check: keeps infra/azuredeploy.json and infra/azuredeploy-relay.json (the Deploy
 * to Azure templates, kept by hand) in step with infra/main.bicep and infra/relay.bicep.
 * - With the Bicep CLI on PATH: builds main.bicep and compares its declared shape (parameters,
 *   outputs, resource types + api-versions, per module) with azuredeploy.json.
 * - Always: runs the offline infra tests (test/unit/infra), which check the same shape against
 *   a small Bicep declaration reader, plus references, roles, settings and wiring.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Template } from '../test/unit/infra/arm-template.js';
import { armShape, diffShapes } from '../test/unit/infra/shape.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shell = process.platform === 'win32';

const PAIRS = [
  ['main.bicep', 'azuredeploy.json'],
  ['relay.bicep', 'azuredeploy-relay.json'],
] as const;

function bicepBuild(file: string): Template | undefined {
  const probe = spawnSync('bicep', ['--version'], { encoding: 'utf8', shell });
  if (probe.error || probe.status !== 0) return undefined;
  const built = spawnSync('bicep', ['build', join(ROOT, 'infra', file), '--stdout'], { encoding: 'utf8', shell, maxBuffer: 64 << 20 });
  if (built.status !== 0) throw new Error(`bicep build failed:\n${built.stderr}`);
  const template = JSON.parse(built.stdout) as Template & { resources: unknown };
  // Templates in languageVersion 2.0 keep resources in an object keyed by symbolic name.
  if (!Array.isArray(template.resources)) template.resources = Object.values(template.resources as object) as Template['resources'];
  return template;
}

function main(): number {
  let failed = false;
  for (const [bicep, json] of PAIRS) {
    const built = bicepBuild(bicep);
    if (!built) {
      console.log('Bicep CLI not found on PATH: skipping `bicep build`; running the offline checks only.');
      break;
    }
    const handKept = JSON.parse(readFileSync(join(ROOT, 'infra', json), 'utf8')) as Template;
    const problems = diffShapes(armShape(built), armShape(handKept), `bicep build of ${bicep}`, json);
    if (problems.length) {
      failed = true;
      console.error(`${json} has drifted from ${bicep}:\n  ${problems.join('\n  ')}`);
    } else console.log(`bicep build of ${bicep} and ${json} declare the same deployment.`);
  }
  const vitest = join(ROOT, 'node_modules', '.bin', shell ? 'vitest.cmd' : 'vitest');
  const tests = spawnSync(existsSync(vitest) ? vitest : 'vitest', ['run', 'test/unit/infra'], { cwd: ROOT, stdio: 'inherit', shell });
  if (tests.status !== 0) failed = true;
  return failed ? 1 : 0;
}

process.exit(main());
