import type { ExemptionRequest } from '../model.js';

/**
 * How people hear about a request, whatever the channel (e-mail today, a Teams card next). The domain
 * says what happened; each implementation decides how to show it and how a person answers.
 */
export interface Notifier {
  /**
   * Asks the approvers to decide. Throws when it could not reach them, so the queue delivers the
   * message again; the request is never lost.
   */
  reviewRequested(request: ExemptionRequest, approvers: readonly string[]): Promise<void>;
  /** The request was approved or rejected (`request.decision` says which, and by whom). */
  decided(request: ExemptionRequest): Promise<void>;
  /** The exemptions exist. */
  applied(request: ExemptionRequest): Promise<void>;
  /** The approval stands but the exemptions could not be created (`request.lastError`). */
  failed(request: ExemptionRequest): Promise<void>;
}
