import { hostileCharacters, isKeyword, KEYWORD, segmentRules, splitSegments } from '../../azure/arm-id-grammar.js';
import { formatPolicyAssignmentId, readPolicyAssignmentId } from '../../azure/policy-assignment-id.js';
import { formatResourceId, readResourceId, readScopeSegments, resourceSegments, type ParseOutcome, type ResourceScope } from '../../azure/resource-id.js';
import { EXEMPTION_CATEGORIES } from '../../requests/model.js';
import {
  ASSESSMENT_STATUS_CODES, EXEMPTION_MANAGEMENT_MODES,
  type InventoryAssessment, type InventoryExemption, type InventoryPage, type InventorySourceName, type RowProblem,
} from '../inventory.js';

// Projecting `id` keeps Resource Graph's $skipToken paging whole (without it results can be truncated);
// nothing else is needed, which keeps pages small.
export const EXEMPTIONS_QUERY = "policyresources | where type =~ 'microsoft.authorization/policyexemptions' | project id, name, properties";
export const ASSESSMENTS_QUERY = "securityresources | where type =~ 'microsoft.security/assessments' | project id, name, properties";

const EXEMPTION_TAIL = [KEYWORD.providers, KEYWORD.authorizationNamespace, 'policyExemptions'] as const;
const ASSESSMENT_TAIL = [KEYWORD.providers, 'Microsoft.Security', 'assessments'] as const;

/** Splits `{scope}/providers/{ns}/{type}/{name}` into the scope's segments and the name, or says why not. */
export function splitExtensionId(raw: unknown, tail: readonly string[]): ParseOutcome<{ scope: string[]; name: string }> {
  if (typeof raw !== 'string') return { ok: false, reason: 'has no string id' };
  const hostile = hostileCharacters(raw);
  if (hostile) return { ok: false, reason: `id ${hostile}` };
  const split = splitSegments(raw);
  if (!split.ok) return { ok: false, reason: `id ${split.reason}` };
  const last = split.segments.slice(-(tail.length + 1));
  const name = last[tail.length];
  if (split.segments.length <= tail.length + 1 || name === undefined || !tail.every((keyword, i) => isKeyword(last[i], keyword))) {
    return { ok: false, reason: `id must end in /${tail.join('/')}/{name}` };
  }
  if (!segmentRules.name(name)) return { ok: false, reason: 'id has an invalid name' };
  return { ok: true, value: { scope: split.segments.slice(0, -(tail.length + 1)), name } };
}

/** Resource Graph and ARM do not agree on casing everywhere; property names are read case-insensitively. */
export function field(object: unknown, name: string): unknown {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return undefined;
  const record = object as Record<string, unknown>;
  if (name in record) return record[name];
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

export function optionalString(value: unknown, what: string): ParseOutcome<string | undefined> {
  if (value === undefined || value === null) return { ok: true, value: undefined };
  return typeof value === 'string' ? { ok: true, value } : { ok: false, reason: `${what} is not a string` };
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' ? allowed.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

/**
 * ISO 8601 with a time and a zone, rewritten in UTC. A date without a zone would be read in local time,
 * and Date.parse rolls impossible dates over (Feb 31 → Mar 3), so the fields are checked first.
 */
export function readExpiry(value: unknown): ParseOutcome<string | undefined> {
  if (value === undefined || value === null) return { ok: true, value: undefined };
  const match = typeof value === 'string' ? ISO_DATE_TIME.exec(value) : null;
  if (!match) return { ok: false, reason: 'expiresOn is not an ISO 8601 date-time with a zone' };
  const [y, mo, d, h, mi, s, oh, om] = match.slice(1).map((part) => Number(part ?? 0));
  const day = new Date(Date.UTC(y!, mo! - 1, d!));
  const realDay = day.getUTCFullYear() === y && day.getUTCMonth() === mo! - 1 && day.getUTCDate() === d;
  if (!realDay || h! > 23 || mi! > 59 || s! > 59 || oh! > 23 || om! > 59) return { ok: false, reason: 'expiresOn is not a real date and time' };
  return { ok: true, value: new Date(Date.parse(value as string)).toISOString() };
}

export function readExemptionRow(row: unknown): ParseOutcome<InventoryExemption> {
  const id = splitExtensionId(field(row, 'id'), EXEMPTION_TAIL);
  if (!id.ok) return id;
  const scope = readScopeSegments(id.value.scope);
  if (!scope.ok) return { ok: false, reason: `scope ${scope.reason}` };
  const properties = field(row, 'properties');
  if (typeof properties !== 'object' || properties === null) return { ok: false, reason: 'has no properties' };
  const assignmentText = field(properties, 'policyAssignmentId');
  if (typeof assignmentText !== 'string') return { ok: false, reason: 'has no policyAssignmentId' };
  const assignment = readPolicyAssignmentId(assignmentText);
  if (!assignment.ok) return { ok: false, reason: `policyAssignmentId ${assignment.reason}` };
  const references = field(properties, 'policyDefinitionReferenceIds') ?? [];
  if (!Array.isArray(references) || !references.every((r) => typeof r === 'string' && r.length > 0)) {
    return { ok: false, reason: 'policyDefinitionReferenceIds is not a list of names' };
  }
  const category = oneOf(field(properties, 'exemptionCategory'), EXEMPTION_CATEGORIES);
  if (!category) return { ok: false, reason: 'exemptionCategory is neither Waiver nor Mitigated' };
  const expiresOn = readExpiry(field(properties, 'expiresOn'));
  if (!expiresOn.ok) return expiresOn;
  const modeValue = field(properties, 'exemptionManagementMode');
  const mode = oneOf(modeValue, EXEMPTION_MANAGEMENT_MODES);
  if (modeValue !== undefined && modeValue !== null && !mode) return { ok: false, reason: 'exemptionManagementMode is neither Admin nor UserSelfServe' };
  const metadata = field(properties, 'metadata');
  if (metadata !== undefined && metadata !== null && (typeof metadata !== 'object' || Array.isArray(metadata))) return { ok: false, reason: 'metadata is not an object' };
  const displayName = optionalString(field(properties, 'displayName'), 'displayName');
  const managedBy = optionalString(field(metadata, 'managedBy'), 'metadata.managedBy');
  const requestId = optionalString(field(metadata, 'requestId'), 'metadata.requestId');
  for (const read of [displayName, managedBy, requestId]) if (!read.ok) return read;
  return {
    ok: true,
    value: {
      id: exemptionId(scope.value, id.value.name),
      scope: scope.value,
      name: id.value.name,
      policyAssignmentId: formatPolicyAssignmentId(assignment.value),
      policyAssignment: assignment.value,
      policyDefinitionReferenceIds: references as string[],
      exemptionCategory: category,
      expiresOn: expiresOn.value,
      displayName: displayName.ok ? displayName.value : undefined,
      managedBy: managedBy.ok ? managedBy.value : undefined,
      requestId: requestId.ok ? requestId.value : undefined,
      exemptionManagementMode: mode,
    },
  };
}

/** The scope and name of an exemption id, read with the strict grammar (ids from the store are re-read too). */
export function readExemptionId(raw: string): ParseOutcome<{ scope: ResourceScope; name: string }> {
  const id = splitExtensionId(raw, EXEMPTION_TAIL);
  if (!id.ok) return id;
  const scope = readScopeSegments(id.value.scope);
  return scope.ok ? { ok: true, value: { scope: scope.value, name: id.value.name } } : { ok: false, reason: `scope ${scope.reason}` };
}

export function exemptionSegments(scope: ResourceScope, name: string): string[] {
  return [...resourceSegments(scope), ...EXEMPTION_TAIL, name];
}

export function exemptionId(scope: ResourceScope, name: string): string {
  return `/${exemptionSegments(scope, name).join('/')}`;
}

export function readAssessmentRow(row: unknown): ParseOutcome<InventoryAssessment> {
  const id = splitExtensionId(field(row, 'id'), ASSESSMENT_TAIL);
  if (!id.ok) return id;
  // The assessed resource is the id's prefix; read it with the same grammar as a requester's id.
  const resource = readResourceId(`/${id.value.scope.join('/')}`);
  if (!resource.ok) return { ok: false, reason: `resource id ${resource.reason}` };
  const properties = field(row, 'properties');
  const status = field(properties, 'status');
  const code = oneOf(field(status, 'code'), ASSESSMENT_STATUS_CODES);
  if (!code) return { ok: false, reason: 'status.code is not Healthy, Unhealthy or NotApplicable' };
  const cause = optionalString(field(status, 'cause'), 'status.cause');
  if (!cause.ok) return cause;
  const policyDefinitionId = optionalString(field(field(properties, 'metadata'), 'policyDefinitionId'), 'metadata.policyDefinitionId');
  if (!policyDefinitionId.ok) return policyDefinitionId;
  return {
    ok: true,
    value: {
      resourceId: formatResourceId(resource.value),
      resource: resource.value,
      assessmentKey: id.value.name,
      statusCode: code,
      cause: cause.value,
      policyDefinitionId: policyDefinitionId.value,
    },
  };
}

/** Reads a page of rows; each row that does not parse becomes a problem and the rest still count. */
export function readRows<T>(rows: readonly unknown[], read: (row: unknown) => ParseOutcome<T>, source: InventorySourceName): InventoryPage<T> {
  const items: T[] = [];
  const problems: RowProblem[] = [];
  for (const row of rows) {
    let outcome: ParseOutcome<T>;
    try {
      outcome = read(row);
    } catch (error) {
      // A parser bug must not end the sweep either; it shows up in the report like any bad row.
      outcome = { ok: false, reason: `could not be read: ${String((error as Error)?.message ?? error)}` };
    }
    if (outcome.ok) items.push(outcome.value);
    else problems.push({ source, rowId: rowIdOf(row), reason: outcome.reason });
  }
  return { source, items, problems };
}

function rowIdOf(row: unknown): string | undefined {
  const id = field(row, 'id');
  return typeof id === 'string' ? id.slice(0, 1024) : undefined;
}
