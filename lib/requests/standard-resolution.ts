import { isAtOrAbove } from '../azure/resource-id.js';
import { assignedStandardId, parseStandardAssignmentId, standardNameOf } from '../azure/standard-assignment.js';
import type { AssessmentMetadataInfo, SecurityStandardInfo, StandardAssignmentInfo } from './ports/arm-gateway.js';
import type { ResolvedStandard } from './model.js';

/**
 * Why a recommendation can be exempted neither way, or undefined when it can. Defender refuses
 * exemptions for preview recommendations and for custom ones (its own KQL-based CustomerManaged ones
 * and CustomPolicy ones from a custom initiative), so the broker refuses them before anyone reviews.
 */
export function notExemptibleBecause(metadata: AssessmentMetadataInfo): string | undefined {
  if (metadata.preview) return `recommendation ${metadata.assessmentKey} ("${metadata.displayName}") is in preview, and Defender for Cloud does not exempt preview recommendations`;
  const type = metadata.assessmentType?.toLowerCase();
  if (type === 'customermanaged' || type === 'custompolicy') {
    return `recommendation ${metadata.assessmentKey} ("${metadata.displayName}") is a custom recommendation (${metadata.assessmentType}), and Defender for Cloud does not exempt custom recommendations`;
  }
  return undefined;
}

/**
 * The standards that contain the recommendation and are assigned (as a standard, not as an exemption)
 * at or above the target (and not excluding it), one entry per standard through its innermost assignment. An exemption names
 * the standard, so it is honoured only where that standard applies.
 */
export function standardsContaining(
  target: string,
  assessmentKey: string,
  available: readonly SecurityStandardInfo[],
  above: readonly StandardAssignmentInfo[],
): ResolvedStandard[] {
  const key = assessmentKey.toLowerCase();
  const containing = new Map(available.filter((s) => s.assessmentKeys.includes(key)).map((s) => [s.name.toLowerCase(), s]));
  const found = new Map<string, ResolvedStandard>();
  for (const assignment of above) {
    if (assignment.effect?.toLowerCase() === 'exempt') continue;
    if (assignment.excludedScopes?.some((excluded) => isAtOrAbove(excluded, target))) continue;
    const name = standardNameOf(assignment.assignedStandardId);
    const standard = name === undefined ? undefined : containing.get(name);
    const parsed = parseStandardAssignmentId(assignment.id);
    if (!standard || !parsed || found.has(name!)) continue;
    found.set(name!, {
      assignedStandardId: assignedStandardId(name!),
      ...(standard.displayName ? { displayName: standard.displayName } : {}),
      standardAssignmentId: parsed.id,
    });
  }
  return [...found.values()];
}
