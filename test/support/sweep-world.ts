// A simulated estate for the sweep with every finding kind: a scale seed (generateScaleSeed) in the sim,
// plus the request store as exemption-broker would have left it — an applied request for every exemption
// whose metadata says we made it, and a few requests that went wrong on purpose (one whose exemption was
// deleted out of band, one approved long ago but never applied, one whose exemption was changed since).
import type { AuditEntry, ExemptionRequest } from '../../lib/requests/model.js';
import type { RequestStore } from '../../lib/requests/ports/store.js';
import { EXEMPTION_KINDS, generateScaleSeed, type ExemptionKind, type ScaleSeed, type SimTenant } from '../sim/index.js';

export const WORLD_REQUESTER = 'dev.owner@contoso.com';
export const WORLD_APPROVER = 'secops@contoso.com';
/** Long before any run: Defender's lag has passed for every managed exemption. */
const LONG_AGO = '2025-06-01T00:00:00.000Z';

export interface SweepWorld {
  readonly scale: ScaleSeed;
  /** Request ids of managed exemptions, by the kind the generator gave the exemption. */
  readonly requestsByKind: Readonly<Record<ExemptionKind, string[]>>;
  /** Exemption ids (as the sim holds them), by kind. */
  readonly exemptionsByKind: Readonly<Record<ExemptionKind, string[]>>;
  /** A request whose exemption does not exist: deleted out of band. */
  readonly deletedRequestId: string;
  readonly deletedExemptionId: string;
  /** An approved request that never got applied. */
  readonly stuckRequestId: string;
  /** A healthy exemption whose request approved another category: changed out of band. */
  readonly changedRequestId: string;
}

export function sweepScaleSeed(options: { subscriptions?: number; exemptions?: number; seed?: number } = {}): ScaleSeed {
  return generateScaleSeed({ subscriptions: options.subscriptions ?? 4, exemptions: options.exemptions ?? 120, seed: options.seed ?? 11 });
}

export async function seedSweepWorld(sim: SimTenant, store: RequestStore, scale: ScaleSeed): Promise<SweepWorld> {
  const exemptions = sim.exemptions();
  const byName = new Map(exemptions.map((e) => [e.name, e]));
  const requestsByKind = Object.fromEntries(EXEMPTION_KINDS.map((k) => [k, [] as string[]])) as Record<ExemptionKind, string[]>;
  const exemptionsByKind = Object.fromEntries(EXEMPTION_KINDS.map((k) => [k, [] as string[]])) as Record<ExemptionKind, string[]>;
  let changedRequestId = '';
  for (const kind of EXEMPTION_KINDS) {
    for (const index of scale.byKind[kind]) {
      const seeded = scale.seed.exemptions![index]!;
      const live = byName.get(seeded.name)!;
      exemptionsByKind[kind].push(live.id);
      if (live.properties.metadata?.managedBy !== 'exemption-broker') continue;
      const changed = kind === 'healthy' && !changedRequestId;
      const approvedCategory = changed ? (live.properties.exemptionCategory === 'Waiver' ? 'Mitigated' : 'Waiver') : live.properties.exemptionCategory;
      const request = appliedRequest(`sw${index}`, seeded.scope, live.id, live.properties.policyAssignmentId, live.properties.policyDefinitionReferenceIds ?? [],
        approvedCategory, live.properties.expiresOn ?? '2099-01-01T00:00:00.000Z', seeded.displayName ?? 'Scale recommendation');
      await create(store, request);
      requestsByKind[kind].push(request.id);
      if (changed) changedRequestId = request.id;
    }
  }
  const template = byName.get(scale.seed.exemptions![scale.byKind.healthy[0]!]!.name)!;
  const scope = template.id.slice(0, template.id.indexOf('/providers/Microsoft.Authorization/'));
  const deletedExemptionId = `${scope}/providers/Microsoft.Authorization/policyExemptions/exm-deleted-out-of-band`;
  const deleted = appliedRequest('swdeleted', scope, deletedExemptionId, template.properties.policyAssignmentId,
    template.properties.policyDefinitionReferenceIds ?? [], 'Waiver', '2099-01-01T00:00:00.000Z', 'Deleted out of band');
  await create(store, deleted);
  const stuck: ExemptionRequest = { ...appliedRequest('swstuck', scope, '', template.properties.policyAssignmentId, [], 'Waiver', '2099-01-01T00:00:00.000Z', 'Stuck'), state: 'approved', exemptions: [] };
  await create(store, stuck);
  return { scale, requestsByKind, exemptionsByKind, deletedRequestId: deleted.id, deletedExemptionId, stuckRequestId: stuck.id, changedRequestId };
}

function appliedRequest(id: string, resourceId: string, exemptionId: string, policyAssignmentId: string, referenceIds: readonly string[],
  category: 'Waiver' | 'Mitigated', expiresOn: string, displayName: string): ExemptionRequest {
  const subscriptionId = resourceId.split('/')[2]!.toLowerCase();
  return {
    id, state: 'applied', createdAt: LONG_AGO, updatedAt: LONG_AGO, source: 'api', subscriptionId,
    recommendation: { displayName },
    targets: [{ resourceId, assignments: [{ policyAssignmentId, policyDefinitionReferenceIds: [...referenceIds] }] }],
    category, justification: 'Seeded for the sweep', expiresOn, requestedBy: WORLD_REQUESTER, requesterAssurance: 'asserted',
    approvers: [WORLD_APPROVER],
    decision: { outcome: 'approved', by: WORLD_APPROVER, at: LONG_AGO, channel: 'review-page' },
    exemptions: exemptionId ? [{ id: exemptionId, resourceId, policyAssignmentId }] : [],
    dedupeKey: `sweep-world-${id}`,
  };
}

async function create(store: RequestStore, request: ExemptionRequest): Promise<void> {
  const audit: AuditEntry = { requestId: request.id, at: request.createdAt, actor: 'seed', channel: 'api', action: 'seeded', to: request.state };
  const outcome = await store.create(request, audit);
  if (!outcome.created) throw new Error(`request ${request.id} was already stored`);
}
