import { describe, expect, it } from 'vitest';
import { FanOutNotifier, FanOutSweepNotices } from '../../../lib/notify/fan-out-notifier.js';
import { requestEventSchema, type RequestEventMessage, type RequestEventOutbox } from '../../../lib/notify/request-event.js';
import type { Notifier } from '../../../lib/requests/ports/notifier.js';
import type { SweepNotices } from '../../../lib/sweep/ports/sweep-notices.js';
import { sampleRequest } from '../../support/sample-request.js';

const request = sampleRequest({ id: 'req-fan-out-1' });

function recorder(journal: string[], failing = false) {
  const outbox = (channel: string): RequestEventOutbox => ({
    channel,
    send: async (message: RequestEventMessage) => {
      if (failing) throw new Error(`${channel} queue down`);
      journal.push(`${channel}:${message.event}:${message.requestId}${message.thresholdDays === undefined ? '' : `:${message.thresholdDays}`}`);
    },
  });
  return outbox;
}

function emailNotifier(journal: string[], failing = false): Notifier {
  const record = (what: string) => async () => {
    if (failing) throw new Error('smtp down');
    journal.push(`email:${what}`);
  };
  return { reviewRequested: record('review'), decided: record('decided'), applied: record('applied'), failed: record('failed') };
}

describe('the fan-out to channels beyond e-mail', () => {
  it('queues one event per channel before the e-mail, for every request event', async () => {
    const journal: string[] = [];
    const outbox = recorder(journal);
    const notifier = new FanOutNotifier(emailNotifier(journal), [outbox('teams'), outbox('tickets')]);
    await notifier.reviewRequested(request, ['secops@contoso.com']);
    await notifier.decided(request);
    await notifier.applied(request);
    await notifier.failed(request);
    expect(journal).toEqual([
      'teams:notified:req-fan-out-1', 'tickets:notified:req-fan-out-1', 'email:review',
      'teams:decided:req-fan-out-1', 'tickets:decided:req-fan-out-1', 'email:decided',
      'teams:applied:req-fan-out-1', 'tickets:applied:req-fan-out-1', 'email:applied',
      'teams:failed:req-fan-out-1', 'tickets:failed:req-fan-out-1', 'email:failed',
    ]);
  });

  it('keeps the queued event when the e-mail fails, and fails so the notify message comes again', async () => {
    const journal: string[] = [];
    const notifier = new FanOutNotifier(emailNotifier(journal, true), [recorder(journal)('teams')]);
    await expect(notifier.reviewRequested(request, ['secops@contoso.com'])).rejects.toThrow(/smtp down/);
    expect(journal).toEqual(['teams:notified:req-fan-out-1']);
  });

  it('fails before any e-mail when a channel queue cannot take the event', async () => {
    const journal: string[] = [];
    const notifier = new FanOutNotifier(emailNotifier(journal), [recorder(journal, true)('teams')]);
    await expect(notifier.applied(request)).rejects.toThrow(/teams queue down/);
    expect(journal).toEqual([]);
  });

  it('carries the sweep notices to the channels, but keeps the digest to e-mail', async () => {
    const journal: string[] = [];
    const email: SweepNotices = {
      expiring: async () => void journal.push('email:expiring'),
      expired: async () => void journal.push('email:expired'),
      revoked: async () => void journal.push('email:revoked'),
      removed: async () => void journal.push('email:removed'),
      digest: async () => void journal.push('email:digest'),
    };
    const notices = new FanOutSweepNotices(email, [recorder(journal)('tickets')]);
    await notices.expiring(request, { expiresOn: '2026-12-09T00:00:00.000Z', thresholdDays: 7 });
    await notices.expired(request);
    await notices.revoked(request, 'deleted out of band');
    await notices.removed(request);
    await notices.digest(['secops@contoso.com'], {} as never, [], 0);
    expect(journal).toEqual([
      'tickets:expiring:req-fan-out-1:7', 'email:expiring',
      'tickets:expired:req-fan-out-1', 'email:expired',
      'tickets:revoked:req-fan-out-1', 'email:revoked',
      'tickets:removed:req-fan-out-1', 'email:removed',
      'email:digest',
    ]);
  });
});

describe('the request event message', () => {
  it('accepts what the fan-out sends and refuses anything else', () => {
    const schema = requestEventSchema();
    expect(schema.safeParse({ kind: 'request-event', requestId: 'req-1', event: 'expiring', thresholdDays: 7 }).success).toBe(true);
    expect(schema.safeParse({ kind: 'request-event', requestId: 'req-1', event: 'deleted' }).success).toBe(false);
    expect(schema.safeParse({ kind: 'notify', requestId: 'req-1', event: 'applied' }).success).toBe(false);
    expect(schema.safeParse({ kind: 'request-event', requestId: '', event: 'applied' }).success).toBe(false);
  });
});
