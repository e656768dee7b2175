import type { ExemptionCategory, ExemptionRequest, RequestState } from '../../requests/model.js';
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

/**
 * Every exemption a stored request created, by canonical id. `metadata.managedBy` is not proof: anyone
 * who can write an exemption can write that metadata, so only an exemption a stored request lists is
 * managed. The index is small (it holds what this product created), and each entry is ticked off when
 * the inventory shows it; what is left unticked was deleted out of band, or is not indexed yet.
 */
export class ManagedIndex {
  private readonly byId = new Map<string, ManagedExemption>();
  private readonly seen = new Set<string>();
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
    for (const created of request.exemptions) {
      // Policy exemptions only: the inventory this index is checked against lists policyExemptions.
      if (created.kind === 'standard') continue;
      const target = request.targets.find((t) => t.resourceId.toLowerCase() === created.resourceId.toLowerCase());
      const assignment = target?.assignments.find((a) => a.policyAssignmentId.toLowerCase() === created.policyAssignmentId.toLowerCase());
      const key = created.id.toLowerCase();
      const existing = this.byId.get(key);
      // A renewal lists the same exemption as the request it renewed; the newer request speaks for it.
      if (existing && existing.changedAt >= (request.decision?.at ?? request.updatedAt)) continue;
      this.byId.set(key, {
        exemptionId: created.id, resourceId: created.resourceId, requestId: request.id, requestState: request.state,
        subscriptionId: request.subscriptionId.toLowerCase(), policyAssignmentId: created.policyAssignmentId,
        policyDefinitionReferenceIds: assignment?.policyDefinitionReferenceIds ?? [], category: request.category,
        expiresOn: request.expiresOn, displayName: request.recommendation.displayName, changedAt: request.decision?.at ?? request.updatedAt,
      });
      this.subscriptions.add(request.subscriptionId.toLowerCase());
    }
  }

  get size(): number {
    return this.byId.size;
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
