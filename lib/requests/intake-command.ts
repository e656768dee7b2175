import type { RequesterAssurance } from './identity.js';
import type { Channel, ExemptionCategory } from './model.js';
import type { ScopeLevel } from './scope-level.js';

/** What the recommendation to exempt is, as the requester named it. */
export type RecommendationSelector =
  | { readonly kind: 'assessment'; readonly assessmentKey: string }
  | { readonly kind: 'assignment'; readonly policyAssignmentId: string; readonly policyDefinitionReferenceIds: readonly string[] };

/** A validated request for an exemption, whatever channel it came through. */
export interface IntakeCommand {
  readonly source: Channel;
  readonly resourceIds: readonly string[];
  readonly selector: RecommendationSelector;
  readonly category: ExemptionCategory;
  readonly justification: string;
  readonly expiresOn: string;
  readonly requestedBy: string;
  readonly requesterAssurance: RequesterAssurance;
  readonly ticketRef?: string;
  /** The widest scope-wide exemption this command may resolve to (MAX_SCOPE_LEVEL when it was parsed). */
  readonly maxScopeLevel: ScopeLevel;
  /** Facts the Defender event carried; ARM's own answer wins where both exist. */
  readonly hints?: { readonly displayName?: string; readonly portalLink?: string; readonly severity?: string };
}

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export interface IntakeLimits {
  readonly maxResourcesPerRequest: number;
  readonly maxExpiryDays: number;
  readonly defaultExpiryDays: number;
  readonly maxJustificationLength: number;
  readonly defaultCategory: ExemptionCategory;
  readonly maxScopeLevel: ScopeLevel;
}

export type ParseResult = { readonly ok: true; readonly command: IntakeCommand } | { readonly ok: false; readonly problems: FieldProblem[] };
