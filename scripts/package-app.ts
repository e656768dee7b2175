/**
 * npm run package: builds the app and zips what Azure Functions needs to run it
 * (.artifacts/released-package.zip). The zip is what the Deploy to Azure button installs
 * (packageUri, a versioned release asset) and what azd deploys (azure.yaml points at the staging
 * folder).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import AdmZip from 'adm-zip';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const STAGE_DIR = join(ROOT, '.artifacts', 'stage');
// Flex Consumption's one deploy reads the package from the app's deployment container under this
// name; the release asset carries the same name so the two never disagree.
export const PACKAGE_NAME = 'released-package.zip';
export const ZIP_PATH = join(ROOT, '.artifacts', PACKAGE_NAME);

/** Files at the repository root that the host needs beside the compiled code. */
const ROOT_FILES = ['host.json', 'package.json', 'package-lock.json'];

/**
 * Which repository files (posix paths relative to the root) go into the package. The compiled
 * tree only: tests, scripts and build info never reach production.
 */
export function stageEntries(files: readonly string[]): string[] {
  return files
    .filter((f) => ROOT_FILES.includes(f) || (f.startsWith('dist/') && !/^dist\/(test|scripts)\//.test(f) && !f.endsWith('.tsbuildinfo')))
    .sort();
}

/** Problems that would stop the host from finding the functions in a staged file list. */
export function checkStage(files: readonly string[], packageMain: string): string[] {
  const problems: string[] = [];
  for (const f of ROOT_FILES) if (!files.includes(f)) problems.push(`${f} is missing`);
  // package.json "main" is a glob such as dist/functions/*.js.
  const pattern = new RegExp(`^${packageMain.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('[^/]*')}$`);
  if (!files.some((f) => pattern.test(f))) problems.push(`nothing matches package.json main (${packageMain}); did the build run?`);
  return problems;
}

export function listFiles(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full, base) : [relative(base, full).split(sep).join('/')];
  });
}

/** Zips a folder with its contents at the zip's root (host.json must sit at the top). */
export function zipDirectory(dir: string, zipPath: string): number {
  const zip = new AdmZip();
  const files = listFiles(dir);
  for (const f of files) zip.addLocalFile(join(dir, f), dirname(f) === '.' ? '' : dirname(f));
  mkdirSync(dirname(zipPath), { recursive: true });
  zip.writeZip(zipPath);
  return files.length;
}

function run(command: string, args: string[], cwd: string): void {
  // npm is npm.cmd on Windows, which needs a shell.
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

async function main(): Promise<void> {
  const tsc = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
  rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
  run(existsSync(tsc) ? tsc : 'tsc', ['-p', 'tsconfig.json'], ROOT);

  const candidates = [...ROOT_FILES, ...listFiles(join(ROOT, 'dist')).map((f) => `dist/${f}`)];
  const entries = stageEntries(candidates);
  const { main: packageMain } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
  const problems = checkStage(entries, packageMain);
  if (problems.length) throw new Error(`cannot package: ${problems.join('; ')}`);

  rmSync(STAGE_DIR, { recursive: true, force: true });
  for (const f of entries) cpSync(join(ROOT, f), join(STAGE_DIR, f));
  // Production dependencies only, exactly as locked; no install scripts run on a build machine's behalf.
  run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], STAGE_DIR);

  rmSync(ZIP_PATH, { force: true });
  const count = zipDirectory(STAGE_DIR, ZIP_PATH);
  console.log(`${relative(ROOT, ZIP_PATH)}: ${count} files (${(statSync(ZIP_PATH).size / 1048576).toFixed(1)} MiB)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
