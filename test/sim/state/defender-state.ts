// Defender for Cloud's own engine in the simulated tenant: security standards, the mutable store of
// Microsoft.Security/standardAssignments (2024-08-01), security connectors and Defender-native assessments.
import type { SeedDefender, SeedNativeAssessment, SeedSecurityStandard, SeedStandardAssignment } from '../seed-types.js';
import { idKey, normalizeId } from './scope.js';

export const STANDARD_ASSIGNMENT_TYPE = 'Microsoft.Security/standardAssignments';
export const SECURITY_STANDARD_TYPE = 'Microsoft.Security/securityStandards';

/** The 2024-08-01 StandardAssignment resource, as stored and answered. */
export interface StandardAssignmentResource {
  id: string;
  name: string;
  type: typeof STANDARD_ASSIGNMENT_TYPE;
  properties: {
    displayName?: string;
    description?: string;
    assignedStandard?: { id?: string };
    effect?: string;
    excludedScopes?: string[];
    expiresOn?: string;
    exemptionData?: { exemptionCategory?: string; assignedAssessment?: { assessmentKey?: string } };
    metadata: { createdBy: string; createdOn: string; lastUpdatedBy: string; lastUpdatedOn: string };
  };
}

export const standardAssignmentId = (scope: string, name: string): string =>
  `${normalizeId(scope)}/providers/${STANDARD_ASSIGNMENT_TYPE}/${name}`;

/** How an assignment names the standard it assigns (Microsoft's PutExemptionStandardAssignment example). */
export const assignedStandardId = (standardName: string): string => `/providers/Microsoft.Security/Standards/${standardName}`;

export class DefenderState {
  readonly standards: SeedSecurityStandard[];
  readonly assessments: SeedNativeAssessment[];
  /** idKey(assignment id) → resource. Tests read exemptions back from here. */
  readonly standardAssignments = new Map<string, StandardAssignmentResource>();
  /** Connector and connector-entity ids: scopes that exist although they are not seeded resources. */
  readonly connectorScopes: string[];
  /** idKey(connector id) → its cloud (AWS, GCP): what Defender names as an entity's source. */
  private readonly connectorClouds = new Map<string, string>();

  constructor(seed: SeedDefender | undefined, createdBy: string, now: Date) {
    this.standards = seed?.securityStandards ?? [];
    this.assessments = seed?.assessments ?? [];
    this.connectorScopes = (seed?.securityConnectors ?? []).flatMap((c) => {
      const connector = `${normalizeId(c.resourceGroupId)}/providers/Microsoft.Security/securityConnectors/${c.name}`;
      this.connectorClouds.set(idKey(connector), c.environment);
      return [connector, ...c.entities.map((e) => `${connector}/${e}`)];
    });
    const at = now.toISOString();
    for (const a of seed?.standardAssignments ?? []) {
      const id = standardAssignmentId(a.scope, a.name);
      this.standardAssignments.set(idKey(id), {
        id, name: a.name, type: STANDARD_ASSIGNMENT_TYPE,
        properties: {
          displayName: a.displayName,
          ...(a.description !== undefined ? { description: a.description } : {}),
          assignedStandard: { id: assignedStandardId(a.standard) },
          effect: a.effect,
          excludedScopes: [],
          ...expiryOf(a, now),
          ...(a.exemptionCategory && a.assessmentKey
            ? { exemptionData: { exemptionCategory: a.exemptionCategory, assignedAssessment: { assessmentKey: a.assessmentKey } } }
            : {}),
          metadata: { createdBy, createdOn: at, lastUpdatedBy: createdBy, lastUpdatedOn: at },
        },
      });
    }
  }

  /** The standard an `assignedStandard.id` names, by its last segment (Standards/… or securityStandards/…). */
  standardFor(assignedId: string | undefined): SeedSecurityStandard | undefined {
    const name = assignedId?.split('/').pop()?.toLowerCase();
    return name ? this.standards.find((s) => s.name.toLowerCase() === name) : undefined;
  }

  /** 'Azure', or the cloud of the security connector the resource is seen through. */
  cloudOf(resourceId: string): string {
    const key = idKey(resourceId);
    for (const [connector, cloud] of this.connectorClouds) if (key.startsWith(`${connector}/`)) return cloud;
    return 'Azure';
  }

  /** Metadata of a Defender-native recommendation, by assessment key. */
  nativeMetadata(key: string): SeedNativeAssessment | undefined {
    return this.assessments.find((a) => a.name.toLowerCase() === key.toLowerCase());
  }
}

function expiryOf(a: SeedStandardAssignment, now: Date): { expiresOn?: string } {
  if (a.expiresOn !== undefined) return { expiresOn: a.expiresOn };
  if (a.expiresInDays !== undefined) return { expiresOn: new Date(now.getTime() + a.expiresInDays * 86_400_000).toISOString() };
  return {};
}
