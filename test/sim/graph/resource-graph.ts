// The simulated Resource Graph service: its index of the tenant, its per-user quota and its skip tokens.
import type { TenantState } from '../state/tenant-state.js';
import { GraphIndex, type IndexingMode } from './graph-index.js';
import { UserQuota, type QuotaOptions } from './quota.js';
import { SkipTokens } from './skip-token.js';

export interface ResourceGraphOptions {
  /** 'live' (default) follows ARM writes; 'manual' serves a snapshot until refresh(). */
  indexing?: IndexingMode;
  /** Per-user quota; defaults are the real 15 queries per 5 s. */
  quota?: QuotaOptions;
}

export class ResourceGraphSim {
  readonly index: GraphIndex;
  readonly quota: UserQuota;
  readonly tokens = new SkipTokens();

  constructor(state: TenantState, o: ResourceGraphOptions = {}) {
    this.index = new GraphIndex(state, o.indexing ?? 'live');
    this.quota = new UserQuota(o.quota);
  }
}

/** Operation ids Resource Graph's quota applies to. */
export const GRAPH_QUERY_OPERATIONS = new Set(['Resources']);
