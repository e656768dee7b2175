// The summary line is what people and log scrapers read; these runs of the real vitest CLI over fixture
// files (one per way a run can fail) check that it never says "0 failed" for a run that exits non-zero.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createVitest } from 'vitest/node';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = join(ROOT, 'test', 'harness', 'reporter-fixtures');
const CLI = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

/** Runs the fixture files whose names start with one of `names` and returns the exit code and summary line. */
async function runFixtures(...names: string[]): Promise<{ code: number | null; summary: string; output: string }> {
  // The outer run's VITEST_* variables would make the inner vitest think it is a worker.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  const child = spawn(process.execPath, [CLI, 'run', '--config', join(FIXTURES, 'vitest.fixtures.config.ts'), ...names], {
    cwd: ROOT, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const summary = output.split('\n').filter((line) => /^\d+ passed, \d+ failed, \d+ skipped/.test(line)).at(-1) ?? `no summary line in:\n${output}`;
  return { code, summary, output };
}

describe('the plain summary line', () => {
  it('counts a failed test, a file that did not load, hooks that threw and an unhandled error', async () => {
    const run = await runFixtures();

    expect(run.code).toBe(1);
    // passing: 1 passed + 1 skipped; failing-test: 1 passed + 1 failed; before-all-throws: 1 skipped + hook;
    // after-all-throws: 1 passed + hook; import-error: no tests; unhandled-error: 1 passed + unhandled.
    expect(run.summary).toBe('4 passed, 5 failed, 2 skipped (1 test, 1 file that did not load, 2 hook errors, 1 unhandled error)');
  }, 120_000);

  it('says "0 failed" for a clean run, which exits 0', async () => {
    const run = await runFixtures('passing');

    expect(run.code).toBe(0);
    expect(run.summary).toBe('1 passed, 0 failed, 1 skipped');
  }, 120_000);

  it('counts an unhandled error even when every test passed', async () => {
    const run = await runFixtures('unhandled-error');

    expect(run.code).toBe(1);
    expect(run.summary).toBe('1 passed, 1 failed, 0 skipped (1 unhandled error)');
  }, 120_000);

  it('a beforeAll that throws (a port already in use) is a failure, not just skipped tests', async () => {
    const run = await runFixtures('before-all-throws');

    expect(run.code).toBe(1);
    expect(run.summary).toBe('0 passed, 1 failed, 1 skipped (1 hook error)');
  }, 120_000);

  it('the fixtures are not part of the main run', async () => {
    const vitest = await createVitest('test', { config: join(ROOT, 'vitest.config.ts'), watch: false }, {}, {});
    try {
      const files = (await vitest.globTestSpecifications()).map((spec) => relative(ROOT, spec.moduleId));
      expect(files).toContain(relative(ROOT, fileURLToPath(import.meta.url)));
      expect(files.filter((file) => file.startsWith(relative(ROOT, FIXTURES)))).toEqual([]);
    } finally {
      await vitest.close();
    }
  });
});
