import type { Timer } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { resolveAppSettings, TimerRunner } from '../../../scripts/local-host/timer-runner.js';

describe('the local host timer trigger', () => {
  it('computes NCRONTAB occurrences in UTC, seconds first', () => {
    const nightly = new TimerRunner({ functionName: 'sweep', schedule: '0 30 2 * * *', handler: async () => undefined, log: () => undefined });
    expect(nightly.nextOccurrence(new Date('2026-11-21T08:00:00Z')).toISOString()).toBe('2026-11-22T02:30:00.000Z');
    expect(nightly.nextOccurrence(new Date('2026-11-22T01:00:00Z')).toISOString()).toBe('2026-11-22T02:30:00.000Z');
  });

  it('reads a %SETTING% schedule from the app settings, and refuses to start without it, as the host does', () => {
    expect(resolveAppSettings('%REQUEUE_STUCK_SCHEDULE%', { REQUEUE_STUCK_SCHEDULE: '0 */5 * * * *' })).toBe('0 */5 * * * *');
    expect(resolveAppSettings('0 30 2 * * *', {})).toBe('0 30 2 * * *');
    expect(() => resolveAppSettings('%REQUEUE_STUCK_SCHEDULE%', { REQUEUE_STUCK_SCHEDULE: ' ' })).toThrow(/does not resolve to a value/);
  });

  it('waits for an occurrence months away instead of firing at once (setTimeout overflows after ~24.8 days)', async () => {
    const fired: Timer[] = [];
    const halfAYearOn = ((new Date().getUTCMonth() + 6) % 12) + 1;
    const runner = new TimerRunner({ functionName: 'yearly', schedule: `0 0 0 1 ${halfAYearOn} *`, handler: async (timer) => void fired.push(timer), log: () => undefined });
    runner.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await runner.stop();
    expect(fired).toEqual([]);
  });

  it('refuses a five-field (classic cron) schedule', () => {
    expect(() => new TimerRunner({ functionName: 'sweep', schedule: '30 2 * * *', handler: async () => undefined, log: () => undefined }))
      .toThrow(/six NCRONTAB fields/);
  });

  it('fires on its schedule with the Timer the host passes, and stops', async () => {
    const fired: Timer[] = [];
    const runner = new TimerRunner({ functionName: 'tick', schedule: '* * * * * *', handler: async (timer) => void fired.push(timer), log: () => undefined });
    runner.start();
    await expect.poll(() => fired.length, { timeout: 5_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    await runner.stop();
    const count = fired.length;
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(fired.length).toBe(count);
    const [first, second] = fired as [Timer, Timer];
    expect(first.schedule).toEqual({ adjustForDST: false });
    // `last` is the previous occurrence, `next` the one after this: one second apart on this schedule.
    const firstDue = Date.parse(first.scheduleStatus!.next) - 1_000;
    expect(Date.parse(second.scheduleStatus!.last)).toBe(firstDue);
    expect(Date.parse(second.scheduleStatus!.next)).toBe(firstDue + 2_000);
  });
});
