import type { RequesterAssurance } from './identity.js';

/** The exemption request as stored and as the read API returns it. */
export const REQUEST_STATES = [
  'received', 'notified', 'approved', 'rejected', 'cancelled', 'timedOut',
  'applying', 'applied', 'failed', 'expiring', 'expired', 'removed', 'revoked', 'renewed',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** States in which a second request for the same resource and recommendation is a duplicate. */
export const OPEN_STATES: ReadonlySet<RequestState> = new Set(['received', 'notified', 'approved', 'applying']);

export const EXEMPTION_CATEGORIES = ['Waiver', 'Mitigated'] as const;
export type ExemptionCategory = (typeof EXEMPTION_CATEGORIES)[number];

/** Where a request or a decision came from; recorded on every audit entry. */
export type Channel = 'api' | 'defender' | 'review-page' | 'teams' | 'notify-worker' | 'apply-worker' | 'requeue-timer' | 'renewal' | 'sweep' | 'ticket';

/** Channels through which a person can decide; each maps `decide`'s refusals to its own answer. */
export type DecisionChannel = Extract<Channel, 'review-page' | 'teams' | 'api' | 'ticket'>;

export interface RecommendationRef {
  /** Assessment key (the Defender recommendation's name); absent when an assignment was named directly. */
  readonly assessmentKey?: string;
  readonly displayName: string;
  readonly policyDefinitionId?: string;
  readonly severity?: string;
  readonly portalLink?: string;
}

/** A policy assignment at or above a resource that contains the recommendation's policy. */
export interface ResolvedAssignment {
  readonly policyAssignmentId: string;
  readonly displayName?: string;
  /** Empty when the assignment is of the policy itself rather than an initiative. */
  readonly policyDefinitionReferenceIds: readonly string[];
}

/**
 * A Defender security standard, assigned at or above a target, that contains the recommendation: the
 * target is exempted from it with an `Exempt` standard assignment (Defender-native recommendations, and
 * targets Azure Policy does not reach, such as AWS and GCP resources under a security connector).
 */
export interface ResolvedStandard {
  /** `/providers/Microsoft.Security/Standards/{guid}`, lower-case: the exemption's `assignedStandard.id`. */
  readonly assignedStandardId: string;
  readonly displayName?: string;
  /** The standard assignment at or above the target through which the standard applies to it. */
  readonly standardAssignmentId: string;
}

/** How many resources a subscription- or resource-group-wide exemption covers, counted at request time. */
export interface ScopeCoverage {
  /** Resources under the scope that Defender assesses for the recommendation. */
  readonly resources: number;
  /** Of those, the ones the recommendation currently flags (status Unhealthy). */
  readonly unhealthy: number;
  readonly countedAt: string;
  /** Set when there were more assessed resources than the broker counts: the numbers are lower bounds. */
  readonly partial?: true;
}

export interface ExemptionTarget {
  /** The exemption's scope: a resource, or for a scope-wide request a resource group or subscription. */
  readonly resourceId: string;
  /** Azure Policy exemptions to write, one per assignment. */
  readonly assignments: readonly ResolvedAssignment[];
  /** Standard-assignment exemptions to write, one per standard; absent on requests stored before they existed. */
  readonly standards?: readonly ResolvedStandard[];
  /** Set when `resourceId` is a resource group or subscription. */
  readonly coverage?: ScopeCoverage;
}

/** The exemption mechanisms, as the channels name them. */
export type ExemptionMechanism = 'policy' | 'standard';

export type CreatedExemption =
  | {
    /** Absent on requests stored before standard assignments existed. */
    readonly kind?: 'policy';
    readonly id: string;
    readonly resourceId: string;
    readonly policyAssignmentId: string;
  }
  | {
    readonly kind: 'standard';
    readonly id: string;
    readonly resourceId: string;
    readonly assignedStandardId: string;
  };

export interface Decision {
  readonly outcome: 'approved' | 'rejected';
  readonly by: string;
  readonly at: string;
  readonly channel: DecisionChannel;
  readonly comment?: string;
  /** Digest of the targets and assignments the approver saw (write-guard.ts); the apply worker writes nothing else. */
  readonly reviewed?: string;
}

export interface ArmFailure {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export interface ExemptionRequest {
  readonly id: string;
  readonly state: RequestState;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly source: Channel;
  readonly subscriptionId: string;
  readonly recommendation: RecommendationRef;
  readonly targets: readonly ExemptionTarget[];
  readonly category: ExemptionCategory;
  readonly justification: string;
  /** ISO 8601 UTC. */
  readonly expiresOn: string;
  readonly requestedBy: string;
  /**
   * Whether anything vouched for `requestedBy`; absent on requests stored before this was recorded,
   * which are treated as `asserted`.
   */
  readonly requesterAssurance?: RequesterAssurance;
  readonly ticketRef?: string;
  /** Lower-cased addresses that were sent a review link; only they (and configured approvers) may decide. */
  readonly approvers: readonly string[];
  readonly decision?: Decision;
  readonly exemptions: readonly CreatedExemption[];
  readonly lastError?: ArmFailure;
  /** Same value for requests about the same resources and recommendation. */
  readonly dedupeKey: string;
  /**
   * Set on a renewal: a new request for the same targets as `requestId`, reviewed like any other, that
   * on approval extends that request's exemptions in place. `nameSeed` is the request id their
   * deterministic names were made from (the first request of a chain of renewals).
   */
  readonly renewalOf?: { readonly requestId: string; readonly nameSeed: string };
  /**
   * Set on a request that Defender relay events coalesce into (lib/requests/burst.ts): `key` names the
   * burst (recommendation, subscription, requester), events join until `closesAt`, and `sealedAt` marks
   * the write after which it takes no more targets (it is then notified, or a late event starts anew).
   */
  readonly burst?: { readonly key: string; readonly closesAt: string; readonly sealedAt?: string };
}

export interface AuditEntry {
  readonly requestId: string;
  readonly at: string;
  readonly actor: string;
  readonly channel: Channel;
  readonly action: string;
  readonly from?: RequestState;
  readonly to?: RequestState;
  readonly detail?: string;
}
