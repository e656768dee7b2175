import { createHash } from 'node:crypto';
import type { ExemptionCategory } from '../requests/model.js';
import { clip, DESCRIPTION_MAX, DISPLAY_NAME_MAX } from './policy-exemption.js';
import { formatResourceId, readResourceId, type ResourceScope } from './resource-id.js';

/**
 * The api-version whose spec is the contract for Defender's own exemptions and standards
 * (Microsoft.Security/standardAssignments and securityStandards, see test/fixtures/azure-specs).
 */
export const STANDARD_ASSIGNMENTS_API_VERSION = '2024-08-01';
/** Assessment metadata (policy-based or Defender-native) is read at the version the assessments use. */
export const ASSESSMENT_METADATA_API_VERSION = '2021-06-01';

// The spec gives displayName and description no maxLength. The portal shows them beside policy
// exemptions, so they get the same documented limits: nothing the broker writes is longer than either accepts.
export const STANDARD_DISPLAY_NAME_MAX = DISPLAY_NAME_MAX;
export const STANDARD_DESCRIPTION_MAX = DESCRIPTION_MAX;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (s: string): boolean => GUID.test(s);

/** The request body's `properties` for an exemption through a standard assignment (effect Exempt). */
export interface StandardAssignmentExemptionProperties {
  readonly displayName: string;
  readonly description: string;
  readonly assignedStandard: { readonly id: string };
  readonly effect: 'Exempt';
  readonly expiresOn: string;
  readonly exemptionData: {
    readonly exemptionCategory: 'waiver' | 'mitigated';
    readonly assignedAssessment: { readonly assessmentKey: string };
  };
}

export interface StandardExemptionInput {
  /** The security standard's GUID (the last segment of its id). */
  readonly standardName: string;
  readonly assessmentKey: string;
  readonly category: ExemptionCategory;
  /** An instant; written as ISO 8601 UTC. */
  readonly expiresOn: Date;
  readonly displayName: string;
  readonly description: string;
}

export class StandardAssignmentInputError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field} ${message}`);
    this.name = 'StandardAssignmentInputError';
  }
}

/** How an assignment names a standard: `/providers/Microsoft.Security/Standards/{guid}` (Microsoft's exemption example). */
export function assignedStandardId(standardName: string): string {
  if (!isGuid(standardName)) throw new StandardAssignmentInputError('standardName', 'must be a GUID');
  return `/providers/Microsoft.Security/Standards/${standardName.toLowerCase()}`;
}

/** Builds the PUT body's properties; refuses what ARM would refuse or misread, clips free text to the limits. */
export function standardExemptionProperties(input: StandardExemptionInput): StandardAssignmentExemptionProperties {
  if (!isGuid(input.assessmentKey)) throw new StandardAssignmentInputError('assessmentKey', 'must be a GUID');
  if (Number.isNaN(input.expiresOn.getTime())) throw new StandardAssignmentInputError('expiresOn', 'must be a valid instant');
  return {
    displayName: clip(input.displayName, STANDARD_DISPLAY_NAME_MAX),
    description: clip(input.description, STANDARD_DESCRIPTION_MAX),
    assignedStandard: { id: assignedStandardId(input.standardName) },
    effect: 'Exempt',
    expiresOn: input.expiresOn.toISOString(),
    exemptionData: {
      // The 2024-08-01 enum is lower-case, unlike policy exemptions' Waiver | Mitigated.
      exemptionCategory: input.category === 'Mitigated' ? 'mitigated' : 'waiver',
      assignedAssessment: { assessmentKey: input.assessmentKey.toLowerCase() },
    },
  };
}

/**
 * Same request, scope, standard and recommendation → same name, so PUT is the idempotency key, as with
 * policy exemptions. ARM requires a GUID here: the digest is laid out as an RFC 9562 version 8 UUID
 * (the version for application-defined, hash-based ids).
 */
export function standardAssignmentName(requestId: string, scopeId: string, standardName: string, assessmentKey: string): string {
  const hex = createHash('sha256')
    .update(`standardAssignment\n${requestId}\n${scopeId.toLowerCase()}\n${standardName.toLowerCase()}\n${assessmentKey.toLowerCase()}`)
    .digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const ASSIGNED_STANDARD = /^\/providers\/Microsoft\.Security\/(?:Standards|securityStandards)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The standard's GUID in an `assignedStandard.id` as ARM returns it, or undefined for any other shape. */
export function standardNameOf(assignedId: string | undefined): string | undefined {
  return assignedId === undefined ? undefined : ASSIGNED_STANDARD.exec(assignedId)?.[1]?.toLowerCase();
}

const ASSIGNMENT_SUFFIX = /\/providers\/Microsoft\.Security\/standardAssignments\/([^/]+)$/i;

/**
 * A standard assignment id: the scope it is made at (parsed by the resource grammar) and its GUID name.
 * Returned canonical, so a stored id that is not exactly this is not one the broker resolved.
 */
export function parseStandardAssignmentId(raw: string): { scope: ResourceScope; name: string; id: string } | undefined {
  const m = ASSIGNMENT_SUFFIX.exec(raw);
  if (!m || !isGuid(m[1]!)) return undefined;
  const scope = readResourceId(raw.slice(0, m.index));
  if (!scope.ok) return undefined;
  const name = m[1]!.toLowerCase();
  return { scope: scope.value, name, id: `${formatResourceId(scope.value)}/providers/Microsoft.Security/standardAssignments/${name}` };
}
