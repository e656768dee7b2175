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
 * Entries by canonical exemption id, each ticked off when the inventory shows it. A renewal lists the
 * same exemption as the request it renewed; the newer request speaks for it.
 */
class TickList<T extends { readonly changedAt: string }> {
  private readonly entries = new Map<string, T>();
  private readonly seen = new Set<string>();

  offer(exemptionId: string, entry: T): void {
    const key = exemptionId.toLowerCase();
    const existing = this.entries.get(key);
    if (!existing || existing.changedAt < entry.changedAt) this.entries.set(key, entry);
  }

  claim(exemptionId: string): T | undefined {
    const key = exemptionId.toLowerCase();
    const entry = this.entries.get(key);
    if (entry) this.seen.add(key);
    return entry;
  }

  peek(exemptionId: string): T | undefined {
    return this.entries.get(exemptionId.toLowerCase());
  }

  *unseen(): Iterable<T> {
    for (const [key, entry] of this.entries) if (!this.seen.has(key)) yield entry;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Every exemption a stored request created, by canonical id. `metadata.managedBy` is not proof: anyone
 * who can write an exemption can write that metadata, so only an exemption a stored request lists is
 * managed. The index is small (it holds what this product created), and each entry is ticked off when
 * the inventory shows it; what is left unticked was deleted out of band, or is not indexed yet.
 */
export class ManagedIndex {
  private readonly policies = new TickList<ManagedExemption>();
  private readonly standards = new TickList<ManagedStandardExemption>();
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
    const approved = {
      requestId: request.id, requestState: request.state, subscriptionId: request.subscriptionId.toLowerCase(), category: request.category,
      expiresOn: request.expiresOn, displayName: request.recommendation.displayName, changedAt,
    };
    for (const created of request.exemptions) {
      if (created.kind === 'standard') {
        this.standards.offer(created.id, {
          ...approved, exemptionId: created.id, resourceId: created.resourceId, assignedStandardId: created.assignedStandardId,
          assessmentKey: request.recommendation.assessmentKey?.toLowerCase(),
        });
      } else {
        const target = request.targets.find((t) => t.resourceId.toLowerCase() === created.resourceId.toLowerCase());
        const assignment = target?.assignments.find((a) => a.policyAssignmentId.toLowerCase() === created.policyAssignmentId.toLowerCase());
        this.policies.offer(created.id, {
          ...approved, exemptionId: created.id, resourceId: created.resourceId, policyAssignmentId: created.policyAssignmentId,
          policyDefinitionReferenceIds: assignment?.policyDefinitionReferenceIds ?? [],
        });
      }
      this.subscriptions.add(approved.subscriptionId);
    }
  }

  get size(): number {
    return this.policies.size + this.standards.size;
  }

  /** The entry for a policy exemption the inventory shows, ticked off as seen. */
  claim(exemptionId: string): ManagedExemption | undefined {
    return this.policies.claim(exemptionId);
  }

  /** The entry without ticking it off. */
  peek(exemptionId: string): ManagedExemption | undefined {
    return this.policies.peek(exemptionId);
  }

  /** Policy exemptions the inventory never showed. */
  unseen(): Iterable<ManagedExemption> {
    return this.policies.unseen();
  }

  /** The entry for a Defender exemption the inventory shows, ticked off as seen. */
  claimStandard(exemptionId: string): ManagedStandardExemption | undefined {
    return this.standards.claim(exemptionId);
  }

  peekStandard(exemptionId: string): ManagedStandardExemption | undefined {
    return this.standards.peek(exemptionId);
  }

  /** Defender exemptions the inventory never showed. */
  unseenStandards(): Iterable<ManagedStandardExemption> {
    return this.standards.unseen();
  }

  /** The request state behind an exemption of either kind. */
  requestStateOf(exemptionId: string): RequestState | undefined {
    return (this.policies.peek(exemptionId) ?? this.standards.peek(exemptionId))?.requestState;
  }
}
