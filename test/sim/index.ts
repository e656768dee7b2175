// The simulated Azure tenant: Entra token endpoint + spec-driven ARM over HTTPS, and an SMTP sink.
//
//   const sim = await startSimTenant();
//   trustSimCertificate(sim.caCertPem);              // this process; children: NODE_EXTRA_CA_CERTS=await writeCaFile(dir, pem)
//   const cred = new ClientSecretCredential(sim.credentials.tenantId, sim.credentials.clientId,
//     sim.credentials.clientSecret, { authorityHost: sim.authorityHost, disableInstanceDiscovery: true });
//   ... point the app's ARM endpoint at sim.armEndpoint ...
//   expect(sim.violations).toEqual([]);
//   await sim.close();
//
// Resource Graph (POST /providers/Microsoft.ResourceGraph/resources) answers the sweep's four query shapes
// (graph/query.ts): exemptions and policy assignments from `policyresources`, assessments from
// `securityresources`, seeded resources by type from `resources | where type in~ (...)`.
// options.resourceGraph sets its quota and whether its index follows ARM ('live') or a snapshot refreshed
// by sim.resourceGraph.refresh() ('manual', for stale rows).
// Policy Insights: POST …/policyStates/latest/triggerEvaluation at subscription or resource-group scope
// answers 202 + Location; polling the Location answers 200 when the scan is done (options.policyInsights).
// Each trigger is listed by sim.policyInsights.evaluations().
// options.clock is the sim's clock (ARM rate limits, the Resource Graph quota, handler time); a test on a
// virtual clock combines it with enforceRateLimits for exact 429s + Retry-After on ARM reads.
// At scale: startSimTenant({ seed: generateScaleSeed({ subscriptions: 1000, exemptions: 100_000 }).seed }).
import { readFile } from 'node:fs/promises';
import { RateLimiter } from './arm/rate-limit.js';
import { EntraSim } from './entra.js';
import { ResourceGraphSim } from './graph/resource-graph.js';
import { FaultRegistry } from './faults.js';
import type { SimSeed } from './seed-types.js';
import { startHttpsServer } from './server.js';
import { startSmtpSink } from './smtp.js';
import { loadServedSpecs } from './spec/load.js';
import { RouteTable } from './spec/routes.js';
import { SpecValidator } from './spec/validate.js';
import { TenantState } from './state/tenant-state.js';
import { PolicyEvaluations } from './state/evaluations.js';
import { makeCertificate } from './tls.js';
import type { SimOptions, SimRequestRecord, SimTenant, SimViolation } from './types.js';

export type {
  FaultKind, FaultSpec, IndexingMode, PolicyExemptionResource, PolicyInsightsOptions, QuotaOptions, ResourceGraphOptions,
  SimMail, SimOptions, SimPolicyInsights, SimProblem, SimRequestRecord, SimResourceGraph, SimSmtp,
  SimTenant, SimViolation, SystemData,
} from './types.js';
export type * from './seed-types.js';
export { SEED } from './seed-ids.js';
export { generateScaleSeed, EXEMPTION_KINDS, type ExemptionKind, type ScaleOptions, type ScaleSeed } from './scale/generate.js';
export { trustSimCertificate, writeCaFile } from './tls.js';

export async function loadDefaultSeed(): Promise<SimSeed> {
  return JSON.parse(await readFile(new URL('./seed.json', import.meta.url), 'utf8')) as SimSeed;
}

export async function startSimTenant(options: SimOptions = {}): Promise<SimTenant> {
  const host = options.host ?? '127.0.0.1';
  const [seed, specs, cert, smtp] = await Promise.all([
    options.seed ? Promise.resolve(structuredClone(options.seed)) : loadDefaultSeed(),
    loadServedSpecs(),
    makeCertificate(),
    startSmtpSink(host),
  ]);
  const clock = options.clock ?? Date.now;
  const state = new TenantState(seed, new Date(clock()));
  const requests: SimRequestRecord[] = [];
  const violations: SimViolation[] = [];
  const faults = new FaultRegistry();
  let baseUrl = '';
  const entra = new EntraSim(seed, () => baseUrl);
  const rg = options.resourceGraph ?? {};
  const graph = new ResourceGraphSim(state, { ...rg, quota: { clock, ...rg.quota } });
  const policyInsights = new PolicyEvaluations(options.policyInsights);

  const https = await startHttpsServer(cert, host, {
    state, entra, validator: new SpecValidator(), rateLimiter: new RateLimiter(clock), violations,
    validateResponses: options.validateResponses ?? true,
    enforceRateLimits: options.enforceRateLimits ?? false,
    routes: new RouteTable(specs), faults, requests, graph, latencyMs: options.latencyMs ?? 0,
    policyInsights, clock, baseUrl: () => baseUrl,
  });
  baseUrl = https.url;

  return {
    armEndpoint: https.url,
    authorityHost: https.url,
    caCertPem: cert.certPem,
    credentials: { tenantId: seed.tenantId, clientId: seed.client.clientId, clientSecret: seed.client.clientSecret },
    smtp: { host: smtp.host, port: smtp.port, messages: smtp.messages, waitFor: smtp.waitFor, clear: smtp.clear, refuseNext: smtp.refuseNext },
    faults: { add: (f) => faults.add(f), clear: () => faults.clear() },
    requests,
    violations,
    exemptions: () => [...state.exemptions.values()].map((e) => structuredClone(e)),
    standardAssignments: () => [...state.defender.standardAssignments.values()].map((a) => structuredClone(a)),
    removeResource: (id) => state.removeResource(id),
    resourceGraph: {
      get indexing() { return graph.index.indexing; },
      setIndexing: (mode) => graph.index.setIndexing(mode),
      refresh: () => graph.index.refresh(),
    },
    policyInsights: { evaluations: () => policyInsights.evaluations() },
    close: async () => {
      await Promise.all([https.close(), smtp.close()]);
    },
  };
}
