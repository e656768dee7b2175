import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { afterAll, describe, expect, it } from 'vitest';
import { checkStage, stageEntries, zipDirectory } from '../../../scripts/package-app.js';
import { readJson } from './fixtures.js';

describe('npm run package', () => {
  const repo = [
    'host.json', 'package.json', 'package-lock.json', 'tsconfig.json', 'README.md', 'local.settings.json',
    'dist/functions/exemptionRequestsCreate.js', 'dist/functions/exemptionRequestsCreate.js.map',
    'dist/lib/config/settings-catalog.js', 'dist/test/unit/x.test.js', 'dist/scripts/demo.js', 'dist/tsconfig.tsbuildinfo',
    'functions/exemptionRequestsCreate.ts', 'lib/config/settings-catalog.ts', 'infra/main.bicep', 'node_modules/x/index.js',
  ];

  it('stages the compiled app and the files the host needs, nothing else', () => {
    expect(stageEntries(repo)).toEqual([
      'dist/functions/exemptionRequestsCreate.js',
      'dist/functions/exemptionRequestsCreate.js.map',
      'dist/lib/config/settings-catalog.js',
      'host.json',
      'package-lock.json',
      'package.json',
    ]);
  });

  it("refuses a stage in which the host would find no functions (package.json main)", () => {
    const { main } = readJson<{ main: string }>('package.json');
    expect(main).toBe('dist/functions/*.js');
    expect(checkStage(stageEntries(repo), main)).toEqual([]);
    expect(checkStage(['host.json', 'package.json', 'dist/lib/a.js', 'dist/functions/sub/b.js'], main)).toEqual([
      'package-lock.json is missing',
      'nothing matches package.json main (dist/functions/*.js); did the build run?',
    ]);
  });

  const tmp = mkdtempSync(join(tmpdir(), 'package-app-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('zips the stage with host.json at the root', () => {
    const stage = join(tmp, 'stage');
    mkdirSync(join(stage, 'dist', 'functions'), { recursive: true });
    mkdirSync(join(stage, 'node_modules', 'zod'), { recursive: true });
    writeFileSync(join(stage, 'host.json'), '{}');
    writeFileSync(join(stage, 'dist', 'functions', 'a.js'), 'export {};');
    writeFileSync(join(stage, 'node_modules', 'zod', 'package.json'), '{}');
    const zipPath = join(tmp, 'out', 'app.zip');
    expect(zipDirectory(stage, zipPath)).toBe(3);
    const names = new AdmZip(zipPath).getEntries().map((e) => e.entryName).sort();
    expect(names).toEqual(['dist/functions/a.js', 'host.json', 'node_modules/zod/package.json']);
  });
});
