import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS, STORAGE_NAMES } from '../../../lib/config/settings-catalog.js';
import { armAppSettings } from '../infra/app-settings.js';
import { armTemplate } from '../infra/fixtures.js';
import { registeredFunctions } from '../../../lib/host/function-registry.js';

const root = new URL('../../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

beforeAll(async () => {
  for (const file of readdirSync(new URL('functions/', root)).filter((f) => f.endsWith('.ts'))) {
    await import(new URL(`functions/${file}`, root).href);
  }
});

describe('registered functions', () => {
  it('are one per file in functions/, with unique names', () => {
    const files = readdirSync(new URL('functions/', root)).filter((f) => f.endsWith('.ts'));
    const names = registeredFunctions().map((f) => f.name);
    expect(names).toHaveLength(files.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it('serve the HTTP routes the README documents, with the documented auth', () => {
    const http = registeredFunctions().flatMap((f) => (f.kind === 'http' ? f.methods.map((m) => `${m} /api/${f.route} ${f.authLevel}`) : []));
    expect(http.sort()).toEqual([
      'GET /api/exemption-requests function',
      'GET /api/exemption-requests/{id} function',
      'GET /api/renew anonymous',
      'GET /api/review anonymous',
      'GET /api/sweeps/latest function',
      'GET /api/sweeps/{id} function',
      'GET /api/sweeps/{id}/findings.csv function',
      'GET /api/sweeps/{id}/report anonymous',
      'GET /api/sweeps/{id}/report/findings.csv anonymous',
      'POST /api/exemption-requests function',
      'POST /api/messages anonymous',
      'POST /api/renew anonymous',
      'POST /api/review anonymous',
      'POST /api/sweeps function',
      'POST /api/webhooks/{source} anonymous',
    ]);
    for (const route of http) {
      const [method, path] = route.split(' ');
      expect(readme).toContain(`\`${method} ${path}`);
    }
  });

  it('trigger on the queues the app sends to', () => {
    const queues = registeredFunctions().flatMap((f) => (f.kind === 'queue' ? [`${f.name}:${f.queueName}`] : []));
    expect(queues.sort()).toEqual([`applyWorker:${STORAGE_NAMES.applyQueue}`, `notifyWorker:${STORAGE_NAMES.notifyQueue}`, `sweepWorker:${STORAGE_NAMES.sweepQueue}`, `teamsWorker:${STORAGE_NAMES.teamsQueue}`, `ticketWorker:${STORAGE_NAMES.ticketsQueue}`]);
  });

  it('run timers on a schedule the host reads from an app setting that Azure sets (the host knows no catalog defaults)', () => {
    const timers = registeredFunctions().flatMap((f) => (f.kind === 'timer' ? [`${f.name}:${f.schedule}`] : []));
    expect(timers.sort()).toEqual(['nightlySweep:%SWEEP_SCHEDULE%', 'requeueStuck:%REQUEUE_STUCK_SCHEDULE%']);
    const azure = armAppSettings(armTemplate());
    expect(azure.REQUEUE_STUCK_SCHEDULE).toBe(SETTINGS.REQUEUE_STUCK_SCHEDULE.default);
    expect(azure.SWEEP_SCHEDULE).toBe(SETTINGS.SWEEP_SCHEDULE.default);
  });
});
