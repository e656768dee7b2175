import { readPolicyAssignmentId, formatPolicyAssignmentId } from '../../azure/policy-assignment-id.js';
import { readResourceId, formatResourceId, type ParseOutcome, type ResourceScope } from '../../azure/resource-id.js';

/** Every policy assignment in scope: whether an exemption's assignment still exists, and what it assigns. */
export const ASSIGNMENTS_QUERY = "policyresources | where type =~ 'microsoft.authorization/policyassignments' | project id, properties";

/** `namespace/type[/type…]`, as a Resource Graph `type` column holds it; nothing that could end a KQL string. */
const RESOURCE_TYPE = /^[a-z0-9][a-z0-9.-]{0,63}(\/[a-z0-9][a-z0-9-]{0,79}){1,8}$/;

/**
 * The resources of the given types in scope, by id only: enough to tell which exempted resources still
 * exist. Types come from parsed resource ids and are checked again here, because they end up inside a
 * query: a type that is not plainly a type is refused rather than quoted.
 */
export function resourcesQuery(types: readonly string[]): string {
  if (types.length === 0) throw new Error('resourcesQuery needs at least one type');
  for (const type of types) if (!RESOURCE_TYPE.test(type)) throw new Error(`not a resource type: ${JSON.stringify(type.slice(0, 80))}`);
  return `resources | where type in~ (${types.map((t) => `'${t}'`).join(', ')}) | project id`;
}

/** `microsoft.storage/storageaccounts` for a resource scope; undefined for subscriptions and groups. */
export function resourceTypeOf(scope: ResourceScope): string | undefined {
  if (scope.kind !== 'resource') return undefined;
  return [scope.providerNamespace, ...scope.path.map((p) => p.type)].join('/').toLowerCase();
}

export interface AssignmentRow {
  /** Canonical. */
  readonly id: string;
  readonly policyDefinitionId: string | undefined;
}

export function readAssignmentRow(row: unknown): ParseOutcome<AssignmentRow> {
  const record = row as { id?: unknown; properties?: { policyDefinitionId?: unknown } } | null;
  if (typeof record?.id !== 'string') return { ok: false, reason: 'has no string id' };
  const id = readPolicyAssignmentId(record.id);
  if (!id.ok) return { ok: false, reason: `id ${id.reason}` };
  const definition = record.properties?.policyDefinitionId;
  return { ok: true, value: { id: formatPolicyAssignmentId(id.value), policyDefinitionId: typeof definition === 'string' ? definition : undefined } };
}

export function readResourceRow(row: unknown): ParseOutcome<string> {
  const id = (row as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') return { ok: false, reason: 'has no string id' };
  const parsed = readResourceId(id);
  return parsed.ok ? { ok: true, value: formatResourceId(parsed.value) } : { ok: false, reason: `id ${parsed.reason}` };
}
