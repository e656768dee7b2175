// `npm run sweep` as a developer runs it: the real script in a child process against the simulated
// tenant (it starts and stops Azurite and the simulator itself), its stdout piped, so no progress bar.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINDING_KINDS, FINDING_LABELS, type SweepFinding, type SweepRun } from '../../lib/sweep/model.js';
import { findingsCsvHeader } from '../../lib/sweep/report/findings-csv.js';

interface Result { readonly status: number; readonly stdout: string; readonly stderr: string }
interface JsonReport { readonly tenant: string; readonly run: SweepRun; readonly stored: { run: boolean; findings: number }; readonly findings: SweepFinding[] }

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

async function sweep(args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, ['scripts/sweep.ts', ...args], {
      cwd: process.cwd(), maxBuffer: 64 * 1024 * 1024, timeout: 110_000,
      // The simulated tenant must not pick up a developer's real settings.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmpdir() },
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

let dir: string;
let text: Result;
let dryJson: Result;
let realJson: Result;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sweep-cli-'));
  // Each run starts its own Azurite and simulated tenant, so they may run side by side.
  [text, dryJson, realJson] = await Promise.all([
    sweep(['--dry-run']),
    sweep(['--dry-run', '--json', '--csv', join(dir, 'dry.csv')]),
    sweep(['--json', '--csv', join(dir, 'real.csv')]),
  ]);
}, 120_000);
afterAll(async () => rm(dir, { recursive: true, force: true }));

function json(result: Result): JsonReport {
  expect(result.stderr).not.toMatch(/sweep failed/);
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as JsonReport;
}

function csvRows(csv: string): string[] {
  return csv.split('\r\n').slice(1).filter(Boolean);
}

describe('npm run sweep against the simulated tenant', () => {
  it('--dry-run prints a text report of a successful run with every finding kind, and exits 0', () => {
    expect(text.stderr).not.toMatch(/sweep failed/);
    expect(text.status).toBe(0);
    const out = text.stdout;
    expect(out.split('\n')[0]).toMatch(/^Exemption sweep — simulated tenant/);
    expect(out).toMatch(/^Dry run: +yes/m);
    expect(out).toMatch(/^Status: +succeeded$/m);
    expect(out).toMatch(/^Stored: +nothing$/m);
    for (const kind of FINDING_KINDS) {
      // Counted (not zero) in the table, and given a section of its own.
      expect(out, kind).toMatch(new RegExp(`^  ${FINDING_LABELS[kind].replace(/[()]/g, '\\$&')} +[1-9][\\d,]*$`, 'm'));
      expect(out, kind).toContain(`\n${FINDING_LABELS[kind]} (`);
    }
    expect(out).toMatch(/\nErrors \(0\)\n  none\n$/);
    // Piped: no progress bar.
    expect(text.stderr).not.toContain('\r');
  });

  it('--dry-run --json prints the run and every finding; nothing is stored, and --csv has them all', async () => {
    const report = json(dryJson);
    expect(report.tenant).toMatch(/^simulated tenant/);
    expect(report.run).toMatchObject({ dryRun: true, trigger: 'cli', status: 'succeeded' });
    expect(report.findings).toHaveLength(report.run.counts.findings);
    for (const kind of FINDING_KINDS) expect(report.findings.some((f) => f.kind === kind), kind).toBe(true);
    // A dry run stores no run record and no findings.
    expect(report.stored).toEqual({ run: false, findings: 0 });
    const csv = await readFile(join(dir, 'dry.csv'), 'utf8');
    expect(csv.startsWith(findingsCsvHeader())).toBe(true);
    expect(csvRows(csv)).toHaveLength(report.findings.length);
    for (const finding of report.findings) expect(csv).toContain(finding.key);
  });

  it('a real run stores the run and its findings, and reports what it stored', async () => {
    const report = json(realJson);
    expect(report.run).toMatchObject({ dryRun: false, trigger: 'cli', status: 'succeeded' });
    expect(report.stored).toEqual({ run: true, findings: report.run.counts.findings });
    expect(report.findings).toHaveLength(report.run.counts.findings);
    for (const kind of FINDING_KINDS) expect(report.findings.some((f) => f.kind === kind), kind).toBe(true);
    // Acted on: the stuck request was requeued (a dry run would have left it).
    expect(report.findings.find((f) => f.kind === 'stuck')?.action).toBe('requeued');
    const csv = await readFile(join(dir, 'real.csv'), 'utf8');
    expect(csvRows(csv)).toHaveLength(report.findings.length);
  });
});
