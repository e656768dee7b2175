// Resource Graph rows for the served queries (exemptions, policy assignments, assessments, resources), in
// the column set Resource Graph returns for a `where type ...` query without `project`. Resource Graph
// lower-cases `type` and `resourceGroup`; `subscriptionId` and `resourceGroup` are '' for rows above a
// subscription (management-group exemptions and assignments).
import { toAssignmentResource } from '../handlers/assignments.js';
import type { SeedAssessment, SeedNativeAssessment, SeedPolicyAssignment, SeedResource, SeedSubscription } from '../seed-types.js';
import type { TenantState } from '../state/tenant-state.js';
import { normalizeId, parseScope } from '../state/scope.js';
import type { StandardAssignmentResource } from '../state/defender-state.js';
import type { PolicyExemptionResource } from '../types.js';
import type { RowColumn } from './query.js';

export type GraphRow = Record<RowColumn, unknown>;

// Fixed evaluation dates, as the ARM assessments handler uses, so answers are stable between runs.
const FIRST_EVALUATED = '2025-05-01T08:00:00Z';
const STATUS_CHANGED = '2025-05-20T08:00:00Z';

function base(id: string, name: string, type: string, tenantId: string, properties: unknown): GraphRow {
  const s = parseScope(id);
  return {
    id, name, type, tenantId, kind: '', location: '',
    resourceGroup: s.resourceGroup?.toLowerCase() ?? '', subscriptionId: s.subscriptionId ?? '', managedBy: '',
    sku: null, plan: null, properties, tags: null, identity: null, zones: null, extendedLocation: null,
  };
}

/**
 * `managementMode` is the exemption's exemptionManagementMode: newer api-versions carry it and Resource
 * Graph shows the latest shape, while the 2024-12-01-preview ARM answers the sim serves cannot.
 */
export function exemptionRow(e: PolicyExemptionResource, tenantId: string, managementMode?: string): GraphRow {
  const properties = structuredClone({ ...e.properties, ...(managementMode ? { exemptionManagementMode: managementMode } : {}) });
  return base(e.id, e.name, 'microsoft.authorization/policyexemptions', tenantId, properties);
}

/** A Microsoft.Security/standardAssignments resource (any effect), as the 2024-08-01 API answers it. */
export function standardAssignmentRow(a: StandardAssignmentResource, tenantId: string): GraphRow {
  return base(a.id, a.name, 'microsoft.security/standardassignments', tenantId, structuredClone(a.properties));
}

/** A policy assignment: `properties` as ARM's PolicyAssignment (policyDefinitionId, displayName, scope, notScopes, …). */
export function assignmentRow(state: TenantState, a: SeedPolicyAssignment): GraphRow {
  const r = toAssignmentResource(state, a) as { id: string; name: string; location?: string; properties: unknown };
  return { ...base(r.id, r.name, 'microsoft.authorization/policyassignments', state.seed.tenantId, r.properties), location: r.location ?? '' };
}

/** A seeded resource; nested types (microsoft.sql/servers/databases) are named by their last segment, as Resource Graph does. */
export function resourceRow(id: string, r: SeedResource, location: string, tenantId: string): GraphRow {
  return { ...base(id, r.name.split('/').pop() ?? r.name, r.type.toLowerCase(), tenantId, {}), location: r.location ?? location };
}

/** A policy-based or Defender-native assessment; one of an AWS or GCP entity names its cloud as Source. */
export function assessmentRow(a: SeedAssessment | SeedNativeAssessment, tenantId: string, source = 'Azure'): GraphRow {
  const resourceId = normalizeId(a.resourceId);
  return base(`${resourceId}/providers/Microsoft.Security/assessments/${a.name}`, a.name, 'microsoft.security/assessments', tenantId, {
    // Resource Graph spells these with capitals (Source, Id), unlike the ARM API's source/id.
    resourceDetails: { Source: source, Id: resourceId },
    displayName: a.displayName,
    status: { ...a.status, firstEvaluationDate: FIRST_EVALUATED, statusChangeDate: STATUS_CHANGED },
    metadata: structuredClone(a.metadata),
    ...('additionalData' in a && a.additionalData ? { additionalData: { ...a.additionalData } } : {}),
  });
}

/**
 * A subscription in `resourcecontainers`: `name` is its display name, and `managementGroupAncestorsChain`
 * lists its management groups nearest first, the tenant root group (named by the tenant id) last. The
 * seed's groups carry no parents, so a subscription in several seeded groups lists them in seed order.
 */
export function subscriptionRow(state: TenantState, sub: SeedSubscription): GraphRow {
  const tenantId = state.seed.tenantId;
  const key = sub.subscriptionId.toLowerCase();
  const groups = (state.seed.managementGroups ?? []).filter((g) => g.subscriptionIds.some((s) => s.toLowerCase() === key));
  const managementGroupAncestorsChain = [
    ...groups.map((g) => ({ name: g.name, displayName: g.displayName })),
    { name: tenantId, displayName: 'Tenant Root Group' },
  ];
  return {
    ...base(`/subscriptions/${sub.subscriptionId}`, sub.displayName, 'microsoft.resources/subscriptions', tenantId, {
      state: 'Enabled',
      managementGroupAncestorsChain,
    }),
    subscriptionId: sub.subscriptionId,
  };
}

export function project(row: GraphRow, columns: RowColumn[] | undefined): Record<string, unknown> {
  if (!columns) return row;
  return Object.fromEntries(columns.map((c) => [c, row[c]]));
}
