import type { Clock } from '../core/clock.js';
import type { ExemptionRequest } from '../requests/model.js';
import type { Notifier } from '../requests/ports/notifier.js';
import { reviewLink, type ReviewLinkSettings } from '../web/review-links.js';
import { appliedEmail, failedEmail, rejectedEmail, reviewRequestEmail, type EmailContent } from './email-content.js';
import type { Mailer } from './mailer.js';
import { deliverable } from './recipients.js';

/**
 * The e-mail channel: each approver gets a personal signed link to the review page; requester and
 * approver hear how it ended. Addresses on the reserved ".invalid" domain (the relay) get nothing.
 */
export class EmailNotifier implements Notifier {
  constructor(
    private readonly mailer: Mailer,
    private readonly links: ReviewLinkSettings,
    private readonly clock: Clock,
  ) {}

  async reviewRequested(request: ExemptionRequest, approvers: readonly string[]): Promise<void> {
    for (const approver of deliverable(approvers)) {
      const link = reviewLink(this.links, request.id, approver, this.clock.now());
      await this.mailer.send({ to: [approver], ...reviewRequestEmail(request, link) });
    }
  }

  async decided(request: ExemptionRequest): Promise<void> {
    // An approval is followed by the applied or failed mail; only a rejection ends the story here.
    if (request.decision?.outcome === 'rejected') await this.send([request.requestedBy], rejectedEmail(request));
  }

  async applied(request: ExemptionRequest): Promise<void> {
    await this.send([request.requestedBy, request.decision?.by], appliedEmail(request));
  }

  async failed(request: ExemptionRequest): Promise<void> {
    await this.send([request.decision?.by], failedEmail(request));
  }

  private async send(to: readonly (string | undefined)[], mail: EmailContent): Promise<void> {
    const recipients = deliverable(to);
    if (recipients.length > 0) await this.mailer.send({ to: recipients, ...mail });
  }
}
