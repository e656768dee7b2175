import type { CreatedExemption, ExemptionCategory, ExemptionRequest, RequestState } from '../../requests/model.js';
import type { RequestStore } from '../../requests/ports/store.js';

/** Requests whose exemptions exist (or should): the ones the sweep holds to account. */
export const LIVE_STATES: readonly RequestState[] = ['applied', 'expiring', 'expired'];

/** What an approver approved for one exemption: the yardstick for "changed out of band". */
export interface ManagedExemption {
  readonly exemptionId: string;
  readonly resourceId: string;
  readonly requestId: string;
  readonly requestState: RequestState;
  readonly subscriptionId: string;
  readonly policyAssignmentId: string;
  readonly policyDefinitionReferenceIds: readonly string[];
  readonly category: ExemptionCategory;
  readonly expiresOn: string;
  readonly displayName: string;
  /**
   * When the exemptions were last written as approved: the approval (the apply worker writes within
   * minutes of it). Not the request's last change, which the sweep itself makes (marking it expiring).
   */
  readonly changedAt: string;
}

/** What an approver approved for one Defender exemption (an `Exempt` standard assignment). */
export interface ManagedStandardExemption {
  readonly exemptionId: string;
  readonly resourceId: string;
  readonly requestId: string;
  readonly requestState: RequestState;
  readonly subscriptionId: string;
  readonly assignedStandardId: string;
  /** The request's recommendation; absent only on a request that named no assessment key. */
  readonly assessmentKey: string | undefined;
  readonly category: ExemptionCategory;
  readonly expiresOn: string;
  readonly displayName: string;
  readonly changedAt: string;
}

/**
 * Every exemption a stored request created, by canonical id. `metadata.managedBy` is not proof: anyone
 * who can write an exemption can write that metadata, so only an exemption a stored request lists is
 * managed. The index is small (it holds what this product created), and each entry is ticked off when
 * the inventory shows it; what is left unticked was deleted out of band, or is not indexed yet.
 */
export class ManagedIndex {
  private readonly byId = new Map<string, ManagedExemption>();
  private readonly seen = new Set<string>();
  private readonly standardsById = new Map<string, ManagedStandardExemption>();
  private readonly standardsSeen = new Set<string>();
  readonly subscriptions = new Set<string>();

  static async load(store: Pick<RequestStore, 'list'>): Promise<ManagedIndex> {
    const index = new ManagedIndex();
    for (const state of LIVE_STATES) {
      let continuationToken: string | undefined;
      do {
        const page = await store.list({ state }, { size: 1000, ...(continuationToken ? { continuationToken } : {}) });
        for (const request of page.items) index.add(request);
        continuationToken = page.continuationToken;
      } while (continuationToken);
    }
    return index;
  }

  add(request: ExemptionRequest): void {
    const changedAt = request.decision?.at ?? request.updatedAt;
    for (const created of request.exemptions) {
      if (created.kind === 'standard') {
        this.addStandard(request, created, changedAt);
        continue;
      }
      const target = request.targets.find((t) => t.resourceId.toLowerCase() === created.resourceId.toLowerCase());
      const assignment = target?.assignments.find((a) => a.policyAssignmentId.toLowerCase() === created.policyAssignmentId.toLowerCase());
      const key = created.id.toLowerCase();
      const existing = this.byId.get(key);
      // A renewal lists the same exemption as the request it renewed; the newer request speaks for it.
      if (existing && existing.changedAt >= changedAt) continue;
      this.byId.set(key, {
        exemptionId: created.id, resourceId: created.resourceId, requestId: request.id, requestState: request.state,
        subscriptionId: request.subscriptionId.toLowerCase(), policyAssignmentId: created.policyAssignmentId,
        policyDefinitionReferenceIds: assignment?.policyDefinitionReferenceIds ?? [], category: request.category,
        expiresOn: request.expiresOn, displayName: request.recommendation.displayName, changedAt,
      });
      this.subscriptions.add(request.subscriptionId.toLowerCase());
    }
  }

  private addStandard(request: ExemptionRequest, created: Extract<CreatedExemption, { kind: 'standard' }>, changedAt: string): void {
    const key = created.id.toLowerCase();
    const existing = this.standardsById.get(key);
    if (existing && existing.changedAt >= changedAt) return;
    this.standardsById.set(key, {
      exemptionId: created.id, resourceId: created.resourceId, requestId: request.id, requestState: request.state,
      subscriptionId: request.subscriptionId.toLowerCase(), assignedStandardId: created.assignedStandardId,
      assessmentKey: request.recommendation.assessmentKey?.toLowerCase(), category: request.category,
      expiresOn: request.expiresOn, displayName: request.recommendation.displayName, changedAt,
    });
    this.subscriptions.add(request.subscriptionId.toLowerCase());
  }

  /** The entry for a Defender exemption the inventory shows, ticked off as seen. */
  claimStandard(exemptionId: string): ManagedStandardExemption | undefined {
    const key = exemptionId.toLowerCase();
    const entry = this.standardsById.get(key);
    if (entry) this.standardsSeen.add(key);
    return entry;
  }

  peekStandard(exemptionId: string): ManagedStandardExemption | undefined {
    return this.standardsById.get(exemptionId.toLowerCase());
  }

  /** Defender exemptions the inventory never showed. */
  *unseenStandards(): Iterable<ManagedStandardExemption> {
    for (const [key, entry] of this.standardsById) if (!this.standardsSeen.has(key)) yield entry;
  }

  /** The request state behind an exemption of either kind. */
  requestStateOf(exemptionId: string): RequestState | undefined {
    return (this.peek(exemptionId) ?? this.peekStandard(exemptionId))?.requestState;
  }

  get size(): number {
    return this.byId.size + this.standardsById.size;
  }

  /** The entry for an exemption the inventory shows, ticked off as seen. */
  claim(exemptionId: string): ManagedExemption | undefined {
    const key = exemptionId.toLowerCase();
    const entry = this.byId.get(key);
    if (entry) this.seen.add(key);
    return entry;
  }

  /** The entry without ticking it off. */
  peek(exemptionId: string): ManagedExemption | undefined {
    return this.byId.get(exemptionId.toLowerCase());
  }

  /** Entries the inventory never showed. */
  *unseen(): Iterable<ManagedExemption> {
    for (const [key, entry] of this.byId) if (!this.seen.has(key)) yield entry;
  }
}
