import type { ExemptionRequest } from '../requests/model.js';
import type { Notifier } from '../requests/ports/notifier.js';
import type { SweepFinding, SweepRun } from '../sweep/model.js';
import type { SweepNotices } from '../sweep/ports/sweep-notices.js';
import type { RequestEventMessage, RequestEventOutbox } from './request-event.js';

/**
 * E-mail plus every other channel. The other channels only get a queued event here, and they get it
 * before the e-mail is tried: a mail failure makes the queue deliver the notify message again, which
 * enqueues the event again, so each channel's worker treats a repeated event as a no-op.
 */
export class FanOutNotifier implements Notifier {
  constructor(
    private readonly email: Notifier,
    private readonly outboxes: readonly RequestEventOutbox[],
  ) {}

  async reviewRequested(request: ExemptionRequest, approvers: readonly string[]): Promise<void> {
    await publish(this.outboxes, { kind: 'request-event', requestId: request.id, event: 'notified' });
    await this.email.reviewRequested(request, approvers);
  }

  async decided(request: ExemptionRequest): Promise<void> {
    await publish(this.outboxes, { kind: 'request-event', requestId: request.id, event: 'decided' });
    await this.email.decided(request);
  }

  async applied(request: ExemptionRequest): Promise<void> {
    await publish(this.outboxes, { kind: 'request-event', requestId: request.id, event: 'applied' });
    await this.email.applied(request);
  }

  async failed(request: ExemptionRequest): Promise<void> {
    await publish(this.outboxes, { kind: 'request-event', requestId: request.id, event: 'failed' });
    await this.email.failed(request);
  }
}

/** The sweep's notices, the same way: events to the other channels, then the e-mail. */
export class FanOutSweepNotices implements SweepNotices {
  constructor(
    private readonly email: SweepNotices,
    private readonly outboxes: readonly RequestEventOutbox[],
  ) {}

  async expiring(request: ExemptionRequest, notice: { readonly expiresOn: string; readonly thresholdDays: number }): Promise<void> {
    await publish(this.outboxes, { kind: 'request-event', requestId: request.id, event: 'expiring', thresholdDays: notice.thresholdDays });
    await this.email.expiring(request, notice);
  }

  async expired(request: ExemptionRequest): Promise<void> {
    await publish(this.outboxes, { kind: 'request-event', requestId: request.id, event: 'expired' });
    await this.email.expired(request);
  }

  async revoked(request: ExemptionRequest, detail: string): Promise<void> {
    await publish(this.outboxes, { kind: 'request-event', requestId: request.id, event: 'revoked', detail: detail.slice(0, 2_000) });
    await this.email.revoked(request, detail);
  }

  async removed(request: ExemptionRequest): Promise<void> {
    await publish(this.outboxes, { kind: 'request-event', requestId: request.id, event: 'removed' });
    await this.email.removed(request);
  }

  async digest(recipients: readonly string[], run: SweepRun, findings: readonly SweepFinding[], totalNew: number): Promise<void> {
    await this.email.digest(recipients, run, findings, totalNew);
  }
}

async function publish(outboxes: readonly RequestEventOutbox[], message: RequestEventMessage): Promise<void> {
  await Promise.all(outboxes.map((outbox) => outbox.send(message)));
}
