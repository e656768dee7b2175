import type { ResourceGraphSim } from '../graph/resource-graph.js';
import type { SpecOperation } from '../spec/routes.js';
import type { PolicyEvaluations } from '../state/evaluations.js';
import type { TenantState } from '../state/tenant-state.js';

export interface Principal {
  clientId: string;
  objectId: string;
}

export interface HandlerContext {
  state: TenantState;
  op: SpecOperation;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  principal: Principal;
  /** The sim's clock (SimOptions.clock) at the time of the request. */
  now: Date;
  graph: ResourceGraphSim;
  policyInsights: PolicyEvaluations;
  /** https://host:port of the sim, for absolute URLs such as an LRO's Location. */
  baseUrl: string;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * The body is a bare JSON array standing in for the spec's `{ value: [...] }` list (old API
   * behaviour the seed asks for): the response self-check validates it wrapped.
   */
  bareArray?: boolean;
}

export type Handler = (ctx: HandlerContext) => HandlerResult;

export const ok = (body: unknown, status = 200): HandlerResult => ({ status, body });
