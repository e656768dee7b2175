// Public contract of the simulated tenant. Tests, the dev host and the demo code against these types.
import type { IndexingMode } from './graph/graph-index.js';
import type { ResourceGraphOptions } from './graph/resource-graph.js';
import type { SimSeed } from './seed-types.js';
import type { StandardAssignmentResource } from './state/defender-state.js';

export type { IndexingMode, ResourceGraphOptions };
export type { QuotaOptions } from './graph/quota.js';

export interface SimOptions {
  /** Replaces test/sim/seed.json entirely. */
  seed?: SimSeed;
  /** Check every ARM response body the sim sends against the spec (violations go to `sim.violations`). Default true. */
  validateResponses?: boolean;
  /** Actually answer 429 when the per-principal token buckets run dry. Default false (headers only). */
  enforceRateLimits?: boolean;
  /** Bind address. Default 127.0.0.1. */
  host?: string;
  /** Delay before every answer (Entra, ARM, Resource Graph, Policy Insights), in ms. Default 0. Per-route delays: a 'latency' fault. */
  latencyMs?: number;
  /** Resource Graph: indexing mode and the per-user quota (limit, window, clock). */
  resourceGraph?: ResourceGraphOptions;
  /**
   * The sim's clock, in milliseconds since the epoch; default Date.now. Drives ARM's read/write token
   * buckets, the Resource Graph quota (unless `resourceGraph.quota.clock` is given), the time handlers see
   * (exemption systemData, excludeExpired(), seed `expiresInDays`) and `policyInsights.evaluations()[].at`.
   * Entra tokens keep real time (the client's token cache checks them against its own clock).
   */
  clock?: () => number;
  /** Policy Insights' trigger-evaluation long-running operations. */
  policyInsights?: PolicyInsightsOptions;
}

export interface PolicyInsightsOptions {
  /** Retry-After (seconds) on the 202s of a trigger and of its status polls. Default 0 (the real service says 30). */
  retryAfterSeconds?: number;
  /** How many GETs of the operation's Location it takes to see 200: the ones before answer 202. Default 1. */
  pollsUntilDone?: number;
}

/** What Policy Insights was asked to evaluate (see SimOptions.policyInsights). */
export interface SimPolicyInsights {
  /** Every accepted trigger, oldest first: scope `/subscriptions/{sub}` or `/subscriptions/{sub}/resourceGroups/{rg}` (seed casing), `at` ISO 8601 by the sim's clock. */
  evaluations(): { scope: string; at: string }[];
}

export interface SimTenant {
  armEndpoint: string;
  authorityHost: string;
  caCertPem: string;
  credentials: { tenantId: string; clientId: string; clientSecret: string };
  smtp: SimSmtp;
  faults: { add(f: FaultSpec): void; clear(): void };
  requests: SimRequestRecord[];
  violations: SimViolation[];
  exemptions(): PolicyExemptionResource[];
  /** Microsoft.Security/standardAssignments (seeded and written), deep copies. */
  standardAssignments(): StandardAssignmentResource[];
  /**
   * Deletes a seeded resource out of band (as the portal would; the sim's ARM has no resource API): it
   * stops existing for ARM at once and for Resource Graph per its indexing mode. Exemptions on it stay,
   * orphaned. False when no such resource exists.
   */
  removeResource(id: string): boolean;
  resourceGraph: SimResourceGraph;
  policyInsights: SimPolicyInsights;
  close(): Promise<void>;
}

/** Control of what Resource Graph has indexed (see graph/graph-index.ts). */
export interface SimResourceGraph {
  readonly indexing: IndexingMode;
  /** 'manual' snapshots the tenant now and serves that snapshot until refresh(); 'live' follows ARM. */
  setIndexing(mode: IndexingMode): void;
  /** Re-index now: in manual mode, stale rows disappear and new exemptions appear. */
  refresh(): void;
}

export interface SimSmtp {
  host: string;
  port: number;
  messages(): SimMail[];
  waitFor(predicate: (m: SimMail) => boolean, timeoutMs?: number): Promise<SimMail>;
  clear(): void;
  /** The next `count` messages are refused with 451 (a temporary failure), to exercise retries. */
  refuseNext(count: number): void;
}

export interface SimMail {
  raw: string;
  /** Address of the From header (falls back to the envelope sender). */
  from: string;
  /** Envelope recipients: To, Cc and Bcc as the server received them. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  receivedAt: Date;
}

export type FaultKind = 'latency' | 'throttle' | 'error' | 'drop';

export interface FaultSpec {
  operationId?: string;
  method?: string;
  pathIncludes?: string;
  /** How many matching requests the fault hits before it is used up. */
  times: number;
  kind: FaultKind;
  latencyMs?: number;
  retryAfterSeconds?: number;
  /** Status for kind 'error'; default 503. */
  status?: number;
  /** ARM error code for kind 'error'; default ServiceUnavailable for 503, InternalServerError for other 5xx, BadRequest for 4xx. */
  code?: string;
  /** ARM error message for kind 'error'. */
  message?: string;
}

export interface SimRequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** Matched operation, or a pseudo id for non-ARM routes (Entra_*), or undefined when nothing matched. */
  operationId: string | undefined;
  apiVersion: string | undefined;
  /** 0 when the connection was dropped on purpose. */
  status: number;
  clientId?: string;
  at: Date;
}

export interface SimViolation {
  method: string;
  url: string;
  /** 'request' = the client sent something the spec or a documented limit forbids; 'response' = the sim's own answer broke its spec. */
  kind: 'request' | 'response';
  operationId?: string;
  problems: SimProblem[];
}

export interface SimProblem {
  /** JSON pointer into the body, or `query.<name>` / `path.<name>`. */
  target: string;
  message: string;
  keyword?: string;
}

export interface SystemData {
  createdBy?: string;
  createdByType?: 'User' | 'Application' | 'ManagedIdentity' | 'Key';
  createdAt?: string;
  lastModifiedBy?: string;
  lastModifiedByType?: 'User' | 'Application' | 'ManagedIdentity' | 'Key';
  lastModifiedAt?: string;
}

export interface PolicyExemptionResource {
  id: string;
  name: string;
  type: 'Microsoft.Authorization/policyExemptions';
  systemData: SystemData;
  properties: {
    policyAssignmentId: string;
    policyDefinitionReferenceIds?: string[];
    exemptionCategory: 'Waiver' | 'Mitigated';
    expiresOn?: string | null;
    displayName?: string | null;
    description?: string | null;
    metadata?: Record<string, unknown> | null;
    resourceSelectors?: unknown[] | null;
    assignmentScopeValidation?: 'Default' | 'DoNotValidate';
  };
}
