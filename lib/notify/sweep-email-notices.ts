import type { Clock } from '../core/clock.js';
import type { ExemptionRequest } from '../requests/model.js';
import type { SweepFinding, SweepRun } from '../sweep/model.js';
import type { SweepNotices } from '../sweep/ports/sweep-notices.js';
import { renewalLink } from '../web/renewal-links.js';
import type { ReviewLinkSettings } from '../web/review-links.js';
import type { EmailContent } from './email-content.js';
import type { Mailer } from './mailer.js';
import { deliverable } from './recipients.js';
import { expiredEmail, expiringEmail, removedEmail, revokedEmail } from './sweep-email-content.js';
import { digestEmail } from '../sweep/report/digest-email.js';
import { sweepRunLinks } from '../sweep/report/run-view.js';

/**
 * The sweep's notices by email. The requester and the approver of a request hear about its exemption;
 * an expiring one comes with a personal renewal link for each of them. Addresses on the reserved
 * ".invalid" domain (the relay) get nothing. A mailer failure is thrown: the sweep records it.
 */
export class SweepEmailNotices implements SweepNotices {
  constructor(
    private readonly mailer: Mailer,
    private readonly links: ReviewLinkSettings,
    private readonly clock: Clock,
  ) {}

  async expiring(request: ExemptionRequest, notice: { readonly expiresOn: string; readonly thresholdDays: number }): Promise<void> {
    // One mail per person: each link names its recipient, who becomes the renewal's requester.
    for (const recipient of parties(request)) {
      const link = renewalLink(this.links, request.id, recipient, this.clock.now());
      await this.mailer.send({ to: [recipient], ...expiringEmail(request, notice, link) });
    }
  }

  async expired(request: ExemptionRequest): Promise<void> {
    await this.send(parties(request), expiredEmail(request));
  }

  async revoked(request: ExemptionRequest, detail: string): Promise<void> {
    await this.send(parties(request), revokedEmail(request, detail));
  }

  async removed(request: ExemptionRequest): Promise<void> {
    await this.send(parties(request), removedEmail(request));
  }

  async digest(recipients: readonly string[], run: SweepRun, findings: readonly SweepFinding[], totalNew: number): Promise<void> {
    const reportUrl = sweepRunLinks(this.links, run.id, this.clock.now()).report;
    await this.send(deliverable(recipients), digestEmail({ run, newFindings: findings, reportUrl, totalNew }));
  }

  private async send(to: readonly string[], mail: EmailContent): Promise<void> {
    if (to.length > 0) await this.mailer.send({ to, ...mail });
  }
}

/** The request's requester and approver, deliverable and each once. */
function parties(request: ExemptionRequest): string[] {
  return deliverable([request.requestedBy, request.decision?.by]);
}
