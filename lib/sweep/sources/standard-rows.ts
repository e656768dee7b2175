import { isGuid } from '../../azure/standard-assignment.js';
import { readScopeSegments, resourceSegments, type ParseOutcome, type ResourceScope } from '../../azure/resource-id.js';
import { EXEMPTION_CATEGORIES } from '../../requests/model.js';
import type { InventoryStandardExemption } from '../inventory.js';
import { field, oneOf, optionalString, readExpiry, splitExtensionId } from './exemption-rows.js';

/**
 * Microsoft documents `microsoft.security/standardassignments` as a `securityresources` type (Azure
 * Resource Graph table and resource type reference). Every effect is listed: the few `Audit` / `Attest`
 * rows are dropped by `isExemptRow`, which keeps the query one of the plain shapes.
 */
export const STANDARD_ASSIGNMENTS_QUERY = "securityresources | where type =~ 'microsoft.security/standardassignments' | project id, name, properties";

const STANDARD_TAIL = ['providers', 'Microsoft.Security', 'standardAssignments'] as const;
const ASSIGNED_STANDARD = /^\/providers\/Microsoft\.Security\/(?:securityStandards|Standards)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Only `effect: Exempt` makes an exemption; `Audit` and `Attest` assign the standard itself. */
export function isExemptRow(row: unknown): boolean {
  const effect = field(field(row, 'properties'), 'effect');
  return typeof effect === 'string' && effect.toLowerCase() === 'exempt';
}

/** The effect an ARM answer gives, for saying what changed when it is no longer `Exempt`. */
export function effectOf(row: unknown): string {
  const effect = field(field(row, 'properties'), 'effect');
  return typeof effect === 'string' ? effect.slice(0, 40) : 'none';
}

/** An `Exempt` standard assignment, read with the same grammar as policy exemptions; anything else is refused. */
export function readStandardExemptionRow(row: unknown): ParseOutcome<InventoryStandardExemption> {
  if (!isExemptRow(row)) return { ok: false, reason: 'effect is not Exempt' };
  const id = splitExtensionId(field(row, 'id'), STANDARD_TAIL);
  if (!id.ok) return id;
  if (!isGuid(id.value.name)) return { ok: false, reason: 'name is not a GUID' };
  const scope = readScopeSegments(id.value.scope);
  if (!scope.ok) return { ok: false, reason: `scope ${scope.reason}` };
  const properties = field(row, 'properties');
  const standard = field(field(properties, 'assignedStandard'), 'id');
  if (typeof standard !== 'string' || !ASSIGNED_STANDARD.test(standard)) {
    return { ok: false, reason: 'assignedStandard.id is not /providers/Microsoft.Security/Standards/{guid}' };
  }
  const exemptionData = field(properties, 'exemptionData');
  const key = field(field(exemptionData, 'assignedAssessment'), 'assessmentKey');
  if (typeof key !== 'string' || !isGuid(key)) return { ok: false, reason: 'exemptionData.assignedAssessment.assessmentKey is not a GUID' };
  const category = oneOf(field(exemptionData, 'exemptionCategory'), EXEMPTION_CATEGORIES);
  if (!category) return { ok: false, reason: 'exemptionData.exemptionCategory is neither waiver nor mitigated' };
  const expiresOn = readExpiry(field(properties, 'expiresOn'));
  if (!expiresOn.ok) return expiresOn;
  const displayName = optionalString(field(properties, 'displayName'), 'displayName');
  if (!displayName.ok) return displayName;
  const name = id.value.name.toLowerCase();
  return {
    ok: true,
    value: {
      id: standardExemptionId(scope.value, name), scope: scope.value, name, assignedStandardId: standard,
      assessmentKey: key.toLowerCase(), exemptionCategory: category, expiresOn: expiresOn.value, displayName: displayName.value,
    },
  };
}

/** The scope and name of a standard assignment id, read with the strict grammar (ids from the store are re-read too). */
export function readStandardExemptionId(raw: string): ParseOutcome<{ scope: ResourceScope; name: string }> {
  const id = splitExtensionId(raw, STANDARD_TAIL);
  if (!id.ok) return id;
  if (!isGuid(id.value.name)) return { ok: false, reason: 'name is not a GUID' };
  const scope = readScopeSegments(id.value.scope);
  return scope.ok ? { ok: true, value: { scope: scope.value, name: id.value.name.toLowerCase() } } : { ok: false, reason: `scope ${scope.reason}` };
}

export function standardExemptionSegments(scope: ResourceScope, name: string): string[] {
  return [...resourceSegments(scope), ...STANDARD_TAIL, name];
}

export function standardExemptionId(scope: ResourceScope, name: string): string {
  return `/${standardExemptionSegments(scope, name).join('/')}`;
}

/** The exempted scope's canonical id: the standard assignment's id without its own tail. */
export function standardScopeId(exemption: Pick<InventoryStandardExemption, 'scope'>): string {
  return `/${resourceSegments(exemption.scope).join('/')}`;
}
