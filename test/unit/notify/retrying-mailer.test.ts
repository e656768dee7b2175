import { describe, expect, it } from 'vitest';
import type { Mailer, OutgoingMail } from '../../../lib/notify/mailer.js';
import { RetryingMailer } from '../../../lib/notify/retrying-mailer.js';

const mail: OutgoingMail = { to: ['a@example.com'], subject: 's', html: '<p>h</p>', text: 't' };

/** Fails the first `failures` sends, then succeeds; records what it was given. */
function flakyMailer(failures: number): Mailer & { calls: OutgoingMail[] } {
  const calls: OutgoingMail[] = [];
  return {
    calls,
    async send(m) {
      calls.push(m);
      if (calls.length <= failures) throw new Error(`failure ${calls.length}`);
    },
  };
}

function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

describe('RetryingMailer', () => {
  it('sends once when the first attempt succeeds', async () => {
    const inner = flakyMailer(0);
    const { sleep, waits } = recordingSleep();
    await new RetryingMailer(inner, { backoffMs: () => 10, sleep }).send(mail);
    expect(inner.calls).toEqual([mail]);
    expect(waits).toEqual([]);
  });

  it('retries after failures, backing off by attempt number, then succeeds', async () => {
    const inner = flakyMailer(2);
    const { sleep, waits } = recordingSleep();
    await new RetryingMailer(inner, { attempts: 3, backoffMs: (attempt) => attempt * 100, sleep }).send(mail);
    expect(inner.calls).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
  });

  it('rethrows the last error after the final attempt and does not sleep after it', async () => {
    const inner = flakyMailer(10);
    const { sleep, waits } = recordingSleep();
    await expect(new RetryingMailer(inner, { attempts: 4, backoffMs: () => 1, sleep }).send(mail)).rejects.toThrow('failure 4');
    expect(inner.calls).toHaveLength(4);
    expect(waits).toHaveLength(3);
  });

  it('defaults to three attempts with growing waits', async () => {
    const inner = flakyMailer(10);
    const { sleep, waits } = recordingSleep();
    await expect(new RetryingMailer(inner, { sleep }).send(mail)).rejects.toThrow('failure 3');
    expect(inner.calls).toHaveLength(3);
    expect(waits[1]).toBeGreaterThan(waits[0] ?? Infinity);
  });

  it('refuses a retry count that would never send', () => {
    expect(() => new RetryingMailer(flakyMailer(0), { attempts: 0 })).toThrow(RangeError);
  });
});
