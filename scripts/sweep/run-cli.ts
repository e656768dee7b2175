import { open, type FileHandle } from 'node:fs/promises';
import { SettingsError } from '../../lib/config/settings.js';
import type { SweepFinding } from '../../lib/sweep/model.js';
import { findingsCsvHeader, findingsCsvRows, runFindingPages } from '../../lib/sweep/report/findings-csv.js';
import { EXIT_USAGE, parseArgs, USAGE, type CliOptions } from './args.js';
import { azureEnvironment, readLocalSettings } from './azure-settings.js';
import { FindingsTally } from './findings-tally.js';
import { ProgressBar } from './progress-bar.js';
import { azureTarget, simulatedTarget, type SweepTarget } from './targets.js';
import { terminalText } from './terminal-text.js';
import { textReport, type StoredRun } from './text-report.js';

export const EXIT_FAILED = 1;
export const EXIT_BUSY = 3;

export interface CliStream {
  write(text: string, done?: (error?: Error | null) => void): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** `npm run sweep`: parses the command line, runs one sweep, reports it; resolves to the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'help') {
    await write(io.stdout, `${USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'error') {
    await write(io.stderr, `sweep: ${parsed.message}\nRun "npm run sweep -- --help" for the options.\n`);
    return EXIT_USAGE;
  }
  const options = parsed.options;
  let csv: FileHandle | undefined;
  try {
    // Opened before anything starts, so a bad path costs no sweep.
    if (options.csv !== undefined) csv = await open(options.csv, 'w');
  } catch (error) {
    await write(io.stderr, `sweep: cannot write ${terminalText(options.csv ?? '')}: ${terminalText((error as Error).message)}\n`);
    return EXIT_USAGE;
  }
  try {
    return await withTarget(options, io, csv);
  } finally {
    await csv?.close();
  }
}

async function withTarget(options: CliOptions, io: CliIo, csv: FileHandle | undefined): Promise<number> {
  let target: SweepTarget;
  if (options.azure) {
    const settings = azureEnvironment(io.env, await readLocalSettings(io.cwd), options.dryRun);
    if (settings.kind === 'error') {
      await write(io.stderr, `sweep: ${settings.message}\n`);
      return EXIT_USAGE;
    }
    for (const note of settings.notes) await write(io.stderr, `sweep: note: ${note}\n`);
    try {
      target = await azureTarget(settings.env);
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      await write(io.stderr, `sweep: ${error.message}\n`);
      return EXIT_USAGE;
    }
  } else {
    await write(io.stderr, 'sweep: starting Azurite and the simulated tenant…\n');
    target = await simulatedTarget();
  }
  try {
    return await sweepAndReport(target, options, io, csv);
  } finally {
    await target.close();
  }
}

async function sweepAndReport(target: SweepTarget, options: CliOptions, io: CliIo, csv: FileHandle | undefined): Promise<number> {
  const bar = io.stdout.isTTY && io.stderr.isTTY && !options.json ? new ProgressBar(io.stderr) : undefined;
  // A dry run stores no findings, so they are kept as the engine records them; a real run's are read back.
  const dryRunFindings: SweepFinding[] = [];
  let outcome;
  try {
    outcome = await target.sweep({
      dryRun: options.dryRun,
      ...(options.scope ? { scope: options.scope } : {}),
      ...(bar ? { onProgress: (event) => bar.update(event) } : {}),
      ...(options.dryRun ? { onFindings: (batch) => void dryRunFindings.push(...batch) } : {}),
    });
  } finally {
    bar?.finish();
  }
  if (outcome.kind === 'busy') {
    await write(io.stderr, 'sweep: another sweep holds the lease (one runs at a time); try again when it has finished, or use --dry-run, which takes no lease.\n');
    return EXIT_BUSY;
  }
  const { run } = outcome;
  const store = await target.sweepStore();
  const tally = new FindingsTally(options.json);
  let storedFindings = 0;
  if (csv) await csv.write(findingsCsvHeader());
  const pages: AsyncIterable<readonly SweepFinding[]> | Iterable<readonly SweepFinding[]> = options.dryRun ? [dryRunFindings] : runFindingPages(store, run.id, {});
  for await (const page of pages) {
    if (!options.dryRun) storedFindings += page.length;
    tally.add(page);
    if (csv && page.length > 0) await csv.write(findingsCsvRows(page));
  }
  if (options.dryRun) for await (const page of runFindingPages(store, run.id, {})) storedFindings += page.length;
  const stored: StoredRun = { run: (await store.getRun(run.id)) !== undefined, findings: storedFindings };

  if (options.json) await write(io.stdout, `${JSON.stringify({ tenant: target.tenant, run, stored, findings: tally.all }, null, 2)}\n`);
  else await write(io.stdout, textReport({ tenant: target.tenant, run, tally, stored }));
  if (options.csv !== undefined) await write(io.stderr, `sweep: wrote ${tally.total} finding(s) to ${terminalText(options.csv)}\n`);
  return run.status === 'succeeded' ? 0 : EXIT_FAILED;
}

/**
 * Resolves once the text is handed to the OS, so exiting right after loses none of a piped report. A
 * reader that went away (`| head`) is not a failure of the sweep: the rest of the text is dropped.
 */
export function write(stream: CliStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error && (error as NodeJS.ErrnoException).code !== 'EPIPE' ? reject(error) : resolve()));
  });
}
