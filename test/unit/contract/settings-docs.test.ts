import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../lib/config/settings.js';
import { SETTING_NAMES } from '../../../lib/config/settings-catalog.js';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const sample = JSON.parse(read('local.settings.sample.json')) as { Values: Record<string, string> };
const readme = read('README.md');

/** Settings only the Functions host itself reads locally (Flex Consumption rejects it in Azure). */
const HOST_ONLY = ['FUNCTIONS_WORKER_RUNTIME'];

describe('the settings list is one contract', () => {
  it('local.settings.sample.json lists exactly the catalog (plus what the local host needs)', () => {
    expect(Object.keys(sample.Values).filter((k) => !HOST_ONLY.includes(k)).sort()).toEqual([...SETTING_NAMES].sort());
  });

  it('the sample is itself a valid configuration', () => {
    expect(() => loadSettings(sample.Values)).not.toThrow();
  });

  it('the README documents every setting in its table', () => {
    // The table under "## Settings"; other tables (the sweep's findings) have rows of the same shape.
    const section = readme.slice(readme.indexOf('\n## Settings'), readme.indexOf('\n## ', readme.indexOf('\n## Settings') + 1));
    const documented = [...section.matchAll(/^\| `([A-Za-z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...SETTING_NAMES].sort());
  });
});

describe('the README quick start', () => {
  const quickStart = /## Quick start\s+```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const commands = quickStart.split('\n').map((line) => line.replace(/#.*$/, '').trim()).filter(Boolean);

  it('has exactly two commands: install + demo, then the tests', () => {
    expect(commands).toEqual(['npm ci && npm run demo', 'npm test']);
  });

  it('is what CI runs', () => {
    const ci = read('.ci/run').split('\n').map((l) => l.trim());
    expect(ci).toContain('npm ci --no-audit --no-fund');
    expect(ci).toContain(commands[1]);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.demo).toBeDefined();
    expect(scripts.test).toContain('vitest run');
  });
});
