// The sweep CLI's command line: flags, scopes read with the settings' own grammar, and refusals that
// run nothing (exit 2 with a message).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_USAGE, parseArgs } from '../../../scripts/sweep/args.js';
import { runCli, type CliStream } from '../../../scripts/sweep/run-cli.js';

const SUB_A = '3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
const SUB_B = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function options(argv: string[]) {
  const parsed = parseArgs(argv);
  if (parsed.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}

function refusal(argv: string[]): string {
  const parsed = parseArgs(argv);
  if (parsed.kind !== 'error') throw new Error(`expected a refusal, got ${JSON.stringify(parsed)}`);
  return parsed.message;
}

class Capture implements CliStream {
  text = '';
  write(text: string, done?: (error?: Error | null) => void): boolean {
    this.text += text;
    done?.();
    return true;
  }
}

let empty: string;
beforeAll(async () => {
  empty = await mkdtemp(join(tmpdir(), 'sweep-cli-args-'));
});
afterAll(async () => rm(empty, { recursive: true, force: true }));

/** Runs the CLI in a directory with no local.settings.json and only the given environment. */
async function cli(argv: string[], env: Record<string, string> = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  const status = await runCli(argv, { stdout, stderr, env, cwd: empty });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

describe('sweep CLI arguments', () => {
  it('defaults to a real (not dry) sweep of the simulated tenant, text report, settings scope, no CSV', () => {
    expect(options([])).toEqual({ azure: false, dryRun: false, json: false });
  });

  it('reads every flag, with values after a space or an equals sign', () => {
    expect(options(['--azure', '--dry-run', '--json', '--csv', 'out.csv', '--scope', `${SUB_A};${SUB_B}`])).toEqual({
      azure: true, dryRun: true, json: true, csv: 'out.csv', scope: { subscriptions: [SUB_A, SUB_B], managementGroups: [] },
    });
    expect(options([`--scope=${SUB_A},${SUB_B.toUpperCase()}`, '--csv=findings.csv'])).toMatchObject({
      csv: 'findings.csv', scope: { subscriptions: [SUB_A, SUB_B], managementGroups: [] },
    });
  });

  it('reads management groups as the settings do: full id or mg:{name}', () => {
    expect(options(['--scope', '/providers/Microsoft.Management/managementGroups/contoso-root; mg:platform']).scope)
      .toEqual({ subscriptions: [], managementGroups: ['contoso-root', 'platform'] });
  });

  it('refuses a scope that is neither a subscription nor a management group, or mixes both', () => {
    expect(refusal(['--scope', 'not-a-subscription'])).toMatch(/--scope: "not-a-subscription" is neither a subscription id/);
    expect(refusal(['--scope', `${SUB_A};mg:platform`])).toMatch(/--scope: name subscriptions or management groups, not both/);
    expect(refusal(['--scope', ' ; , '])).toMatch(/--scope needs subscription or management group ids/);
  });

  it('refuses a missing value, a repeated flag, a value on a switch, an unknown flag and a stray argument', () => {
    expect(refusal(['--scope'])).toMatch(/--scope needs/);
    expect(refusal(['--csv', '--json'])).toMatch(/--csv needs a file name/);
    expect(refusal(['--json', '--json'])).toMatch(/--json is given twice/);
    expect(refusal(['--dry-run=yes'])).toMatch(/--dry-run takes no value/);
    expect(refusal(['--dryrun'])).toMatch(/unknown option "--dryrun"/);
    expect(refusal(['report.csv'])).toMatch(/unexpected argument "report.csv"/);
  });

  it('an unknown flag or a bad scope exits 2 with the message on stderr, before anything starts', async () => {
    const unknown = await cli(['--dry-run', '--frobnicate']);
    expect(unknown.status).toBe(EXIT_USAGE);
    expect(unknown.stderr).toContain('unknown option "--frobnicate"');
    expect(unknown.stderr).toContain('--help');
    expect(unknown.stderr).not.toContain('starting Azurite');
    expect(unknown.stdout).toBe('');

    const scope = await cli(['--scope', 'mg:bad/name']);
    expect(scope.status).toBe(EXIT_USAGE);
    expect(scope.stderr).toMatch(/--scope: "mg:bad\/name" is not a valid management group id/);
  });

  it('a --csv file that cannot be written exits 2 before anything starts', async () => {
    const result = await cli(['--dry-run', '--csv', join(empty, 'no-such-folder', 'findings.csv')]);
    expect(result.status).toBe(EXIT_USAGE);
    expect(result.stderr).toMatch(/cannot write .*no-such-folder.*ENOENT/);
    expect(result.stderr).not.toContain('starting Azurite');
  });

  it('--help prints the usage and exits 0', async () => {
    const help = await cli(['--help']);
    expect(help.status).toBe(0);
    for (const flag of ['--scope', '--dry-run', '--json', '--csv', '--azure']) expect(help.stdout).toContain(flag);
  });
});
