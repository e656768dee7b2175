/**
 * npm run bench:cold — what a cold start costs in module loading. On Flex Consumption the host imports
 * every file matched by package.json "main" before the first invocation. This builds dist/, then, in fresh
 * Node processes (runs interleaved so machine noise hits both sides alike), times
 *   app:  importing every compiled function module, as the host does;
 *   bare: importing @azure/functions alone, which no app can avoid;
 * and prints medians as JSON, with where the difference comes from: every package the app loads at start,
 * its own cost on top of @azure/functions, and the first-party files that import it at top level.
 * `npm run bench:cold -- --runs 9` for more runs (default 7).
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 7;
const FRAMEWORK = '@azure/functions';

// Runs in the fresh process: imports the targets in order and reports how long the last `timed` took.
const TIMER = `
const targets = JSON.parse(process.env.BENCH_TARGETS);
const timed = Number(process.env.BENCH_TIMED);
const console_ = { warn: console.warn, log: console.log };
console.warn = console.log = () => {};
for (const target of targets.slice(0, targets.length - timed)) await import(target);
const t0 = performance.now();
for (const target of targets.slice(targets.length - timed)) await import(target);
const importMs = performance.now() - t0;
process.stdout.write(JSON.stringify({ importMs, sinceProcessStartMs: performance.now() }));
`;

// Runs in the fresh process: records every resolved import edge (parent → child) while loading the app.
const GRAPH = `
import { registerHooks } from 'node:module';
const edges = [];
registerHooks({ resolve(specifier, context, next) {
  const resolved = next(specifier, context);
  edges.push([context.parentURL ?? '', resolved.url]);
  return resolved;
} });
console.warn = console.log = () => {};
for (const target of JSON.parse(process.env.BENCH_TARGETS)) await import(target);
process.stdout.write(JSON.stringify(edges));
`;

async function inFreshNode(code: string, targets: readonly string[], timed = 0): Promise<string> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], {
    cwd: ROOT, maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, BENCH_TARGETS: JSON.stringify(targets), BENCH_TIMED: String(timed), NODE_OPTIONS: '' },
  });
  return stdout;
}

async function timeImport(targets: readonly string[], timed: number): Promise<{ importMs: number; sinceProcessStartMs: number }> {
  return JSON.parse(await inFreshNode(TIMER, targets, timed)) as { importMs: number; sinceProcessStartMs: number };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const ms = (value: number) => Number(value.toFixed(1));

/** The package a node_modules URL belongs to ("@scope/name" or "name"), else undefined. */
function packageOf(url: string): string | undefined {
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return match?.[1];
}

async function build(): Promise<string[]> {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { main: string };
  const match = /^(.*)\/\*\.js$/.exec(pkg.main);
  if (!match) throw new Error(`package.json "main" is ${pkg.main}; this benchmark understands "<dir>/*.js"`);
  // A clean build: a stale module left in dist/ would be loaded by the host, and counted here.
  await rm(join(ROOT, 'dist'), { recursive: true, force: true });
  await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: ROOT });
  const dir = join(ROOT, match[1]!);
  return (await readdir(dir)).filter((f) => f.endsWith('.js')).sort().map((f) => pathToFileURL(join(dir, f)).href);
}

interface PackageUse {
  package: string;
  modules: number;
  /** First-party files (dist/) that import the package at top level, or the packages that do. */
  importedBy: string[];
  /** The shortest chain from a function module to it: the import to cut. */
  chain: string[];
}

async function loadGraph(appModules: readonly string[]): Promise<{ firstParty: number; packages: PackageUse[] }> {
  const edges = JSON.parse(await inFreshNode(GRAPH, appModules)) as [string, string][];
  const show = (url: string) => (url.startsWith('file:') ? relative(ROOT, fileURLToPath(url)) : url);
  const isOwn = (url: string) => url.startsWith('file:') && !url.includes('/node_modules/');
  const modules = new Set(edges.map(([, child]) => child));
  const parentOf = new Map<string, string>();
  // Breadth-first from the function modules, over first-party files only: the first way each is reached.
  const queue = [...appModules];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const [parent, child] of edges) {
      if (parent !== current || seen.has(child)) continue;
      seen.add(child);
      parentOf.set(child, current);
      if (isOwn(child)) queue.push(child);
    }
  }
  const byPackage = new Map<string, PackageUse>();
  for (const url of modules) {
    const name = packageOf(url);
    if (!name) continue;
    const use = byPackage.get(name) ?? { package: name, modules: 0, importedBy: [], chain: [] };
    use.modules++;
    byPackage.set(name, use);
  }
  for (const [parent, child] of edges) {
    const name = packageOf(child);
    const use = name ? byPackage.get(name) : undefined;
    // Who loads it: first-party files by path, other packages by name (not the package itself).
    const by = isOwn(parent) ? show(parent) : packageOf(parent);
    if (!use || !by || by === name) continue;
    if (!use.importedBy.includes(by)) use.importedBy.push(by);
    if (isOwn(parent) && use.chain.length === 0) {
      const chain = [child];
      for (let at: string | undefined = parent; at; at = parentOf.get(at)) chain.unshift(at);
      use.chain = chain.map(show).map((step) => packageOf(step) ?? step);
    }
  }
  return { firstParty: [...modules].filter(isOwn).length, packages: [...byPackage.values()] };
}

async function main(): Promise<void> {
  const appModules = await build();
  const app: number[] = [], bare: number[] = [], appProcess: number[] = [], bareProcess: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate which side goes first, so a slow phase of the machine does not favour one side.
    const order = i % 2 === 0 ? ['app', 'bare'] : ['bare', 'app'];
    for (const side of order) {
      const result = side === 'app' ? await timeImport(appModules, appModules.length) : await timeImport([FRAMEWORK], 1);
      (side === 'app' ? app : bare).push(result.importMs);
      (side === 'app' ? appProcess : bareProcess).push(result.sinceProcessStartMs);
    }
  }
  const graph = await loadGraph(appModules);
  // Each package's own cost on top of @azure/functions (shared dependencies make these overlap).
  const attribution: (PackageUse & { extraMs: number })[] = [];
  const direct = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  // The packages first-party files import at start (transitive ones ride along and are listed after).
  const directDeps = graph.packages.filter((p) => p.package !== FRAMEWORK && p.package in direct.dependencies && p.chain.length > 0);
  const samples = new Map<string, number[]>(directDeps.map((p) => [p.package, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const use of directDeps) samples.get(use.package)!.push((await timeImport([FRAMEWORK, use.package], 1)).importMs);
  }
  for (const use of directDeps) attribution.push({ ...use, extraMs: ms(median(samples.get(use.package)!)) });
  attribution.sort((a, b) => b.extraMs - a.extraMs);
  const allDirect = [];
  for (let i = 0; i < RUNS; i++) allDirect.push((await timeImport([FRAMEWORK, ...directDeps.map((p) => p.package)], directDeps.length)).importMs);

  console.log(JSON.stringify({
    benchmark: 'cold-start-imports',
    appMs: ms(median(app)),
    bareMs: ms(median(bare)),
    extraMs: ms(median(app) - median(bare)),
    runs: RUNS,
    functionModules: appModules.map((url) => relative(ROOT, fileURLToPath(url))),
    firstPartyModules: graph.firstParty,
    packagesLoaded: graph.packages.length,
    // Every direct dependency the app loads at start, together, on top of @azure/functions.
    directDependenciesTogetherMs: ms(median(allDirect)),
    // What is left for the app's own modules (and load order effects): extraMs minus the packages above.
    ownCodeMsEstimate: ms(median(app) - median(bare) - median(allDirect)),
    processToLoadedMs: { app: ms(median(appProcess)), bare: ms(median(bareProcess)) },
    samplesMs: { app: app.map(ms), bare: bare.map(ms) },
    byPackage: attribution,
    otherPackages: graph.packages.filter((p) => !directDeps.includes(p))
      .map(({ package: name, modules, importedBy }) => ({ package: name, modules, importedBy })),
    node: process.version,
  }, null, 2));
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
