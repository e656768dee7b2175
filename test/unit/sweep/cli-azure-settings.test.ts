// `npm run sweep -- --azure`: which settings a sweep of a real tenant runs with, and the refusals that
// come before any sign-in or network call. Nothing here reaches Azure.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_USAGE } from '../../../scripts/sweep/args.js';
import { azureEnvironment, STORAGE_MISSING } from '../../../scripts/sweep/azure-settings.js';
import { runCli, type CliStream } from '../../../scripts/sweep/run-cli.js';

const STORAGE = 'DefaultEndpointsProtocol=https;AccountName=stexample;AccountKey=a2V5;EndpointSuffix=core.windows.net';
const KEY = 'k'.repeat(40);

function settings(env: Record<string, string>, file: unknown, dryRun = false) {
  const result = azureEnvironment(env, file === undefined ? undefined : JSON.stringify(file), dryRun);
  if (result.kind !== 'ok') throw new Error(result.message);
  return result;
}

describe('--azure settings', () => {
  it('reads local.settings.json Values, and the environment wins where both set one', () => {
    const { env } = settings({ ARM_ENDPOINT: 'https://management.example.com', SWEEP_SCOPE: '' }, {
      Values: { AzureWebJobsStorage: STORAGE, ARM_ENDPOINT: 'https://management.azure.com', SWEEP_SCOPE: 'mg:platform', REVIEW_SIGNING_KEY: KEY, AZURE_CLIENT_ID: '' },
    });
    expect(env).toMatchObject({ AzureWebJobsStorage: STORAGE, ARM_ENDPOINT: 'https://management.example.com', REVIEW_SIGNING_KEY: KEY });
    // An empty value sets nothing (so the file's scope stays), as the app reads empty settings.
    expect(env.SWEEP_SCOPE).toBe('mg:platform');
    expect(env).not.toHaveProperty('AZURE_CLIENT_ID');
  });

  it('needs storage, from either place, as a connection string or both identity endpoints', () => {
    expect(azureEnvironment({}, undefined, true)).toEqual({ kind: 'error', message: STORAGE_MISSING });
    expect(azureEnvironment({ AzureWebJobsStorage__tableServiceUri: 'https://st.table.core.windows.net' }, undefined, true).kind).toBe('error');
    expect(settings({ AzureWebJobsStorage__tableServiceUri: 'https://st.table.core.windows.net', AzureWebJobsStorage__queueServiceUri: 'https://st.queue.core.windows.net' }, undefined, true).kind).toBe('ok');
    expect(settings({}, { Values: { AzureWebJobsStorage: STORAGE } }, true).env.AzureWebJobsStorage).toBe(STORAGE);
    expect(STORAGE_MISSING).toMatch(/AzureWebJobsStorage/);
  });

  it('without a client secret the app signs in with the Azure CLI login; a lone AZURE_CLIENT_ID is pointed out', () => {
    expect(settings({ AzureWebJobsStorage: STORAGE, REVIEW_SIGNING_KEY: KEY }, undefined).notes).toEqual([]);
    const withId = settings({ AzureWebJobsStorage: STORAGE, REVIEW_SIGNING_KEY: KEY, AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555' }, undefined);
    expect(withId.notes.join(' ')).toMatch(/managed identity.*unset AZURE_CLIENT_ID/);
  });

  it('a dry run without REVIEW_SIGNING_KEY gets a throwaway key; a real run does not', () => {
    const dry = settings({ AzureWebJobsStorage: STORAGE }, undefined, true);
    expect(dry.env.REVIEW_SIGNING_KEY?.length).toBeGreaterThanOrEqual(32);
    expect(dry.notes.join(' ')).toMatch(/throwaway key/);
    expect(settings({ AzureWebJobsStorage: STORAGE }, undefined, false).env).not.toHaveProperty('REVIEW_SIGNING_KEY');
  });

  it('refuses a local.settings.json that is not JSON or whose Values is not an object', () => {
    expect(azureEnvironment({}, '{ "Values": ', true)).toMatchObject({ kind: 'error', message: expect.stringMatching(/not valid JSON/) });
    expect(azureEnvironment({}, '{ "Values": [] }', true)).toMatchObject({ kind: 'error', message: expect.stringMatching(/"Values" must be an object/) });
  });
});

class Capture implements CliStream {
  text = '';
  write(text: string, done?: (error?: Error | null) => void): boolean {
    this.text += text;
    done?.();
    return true;
  }
}

describe('npm run sweep -- --azure refusals (exit 2, nothing signed in)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sweep-cli-azure-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  async function cli(argv: string[], env: Record<string, string>) {
    const stdout = new Capture();
    const stderr = new Capture();
    const status = await runCli(argv, { stdout, stderr, env, cwd: dir });
    return { status, stdout: stdout.text, stderr: stderr.text };
  }

  it('without storage: says what to set', async () => {
    const result = await cli(['--azure', '--dry-run'], {});
    expect(result.status).toBe(EXIT_USAGE);
    expect(result.stderr).toContain(STORAGE_MISSING);
    expect(result.stdout).toBe('');
  });

  it('with storage in local.settings.json but a bad setting: the settings problems, one a line', async () => {
    await writeFile(join(dir, 'local.settings.json'), JSON.stringify({ Values: { AzureWebJobsStorage: STORAGE, SWEEP_WARN_DAYS: '0' } }));
    const result = await cli(['--azure'], {});
    expect(result.status).toBe(EXIT_USAGE);
    expect(result.stderr).toMatch(/REVIEW_SIGNING_KEY is required/);
    expect(result.stderr).toMatch(/SWEEP_WARN_DAYS: "0"/);
  });
});
