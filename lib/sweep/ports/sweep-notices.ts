import type { ExemptionRequest } from '../../requests/model.js';
import type { SweepFinding, SweepRun } from '../model.js';

/**
 * What the sweep tells people. Each call is made once per finding (the sweep's ledger sees to that);
 * implementations decide the channel and never mail the reserved `.invalid` addresses.
 */
export interface SweepNotices {
  /**
   * A managed exemption crossed a warning threshold: the requester and the approver hear of it, with a
   * one-click link to ask for a renewal (a new request linked to this one, reviewed like any other).
   */
  expiring(request: ExemptionRequest, notice: { readonly expiresOn: string; readonly thresholdDays: number }): Promise<void>;
  /** A managed exemption expired: Azure no longer honours it. */
  expired(request: ExemptionRequest): Promise<void>;
  /** A managed exemption was deleted outside the workflow (confirmed with ARM). */
  revoked(request: ExemptionRequest, detail: string): Promise<void>;
  /** The sweep deleted a managed exemption that expired long enough ago (SWEEP_DELETE_EXPIRED_AFTER_DAYS). */
  removed(request: ExemptionRequest): Promise<void>;
  /** New findings of a run, for one set of recipients; `findings` may be capped, `totalNew` is not. */
  digest(recipients: readonly string[], run: SweepRun, findings: readonly SweepFinding[], totalNew: number): Promise<void>;
}
