import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TokenCredential } from '@azure/core-auth';
import { ArmError } from '../../../lib/azure/arm-error.js';
import { AzureArmGateway } from '../../../lib/azure/azure-arm-gateway.js';
import { CachingArmGateway } from '../../../lib/azure/caching-arm-gateway.js';
import { systemClock } from '../../../lib/core/clock.js';
import { problemFromError } from '../../../lib/web/http-errors.js';
import { SEED } from '../../sim/index.js';
import { DEFENDER } from '../../sim/seed-ids.js';
import { startFixture, type SimFixture } from '../sim/sim-fixture.js';

// The real gateway against the simulated tenant: what it asks ARM for, and how often.
let f: SimFixture;
let gateway: AzureArmGateway;
beforeAll(async () => {
  f = await startFixture();
  gateway = new AzureArmGateway({ endpoint: f.sim.armEndpoint, credential: f.credential, retry: { maxRetries: 0 } });
});
afterAll(async () => f?.sim.close());
beforeEach(() => { f.sim.requests.length = 0; f.sim.faults.clear(); });

const setGets = () => f.sim.requests.filter((r) => r.operationId === 'PolicySetDefinitions_GetBuiltIn' && r.path.toLowerCase().endsWith(SEED.mcsbSetDefinitionName));

describe('getAssessment', () => {
  it('reads metadata and the portal link with the one $expand value each that the spec allows', async () => {
    const { resourceId, assessmentKey } = SEED.initiativeAndDirect;
    const a = await gateway.getAssessment(resourceId, assessmentKey);
    expect(a).toMatchObject({ policyDefinitionId: SEED.policies.jit, severity: 'High' });
    expect(a?.portalLink).toMatch(new RegExp(`^https://portal\\.azure\\.com/.*/assessmentKey/${assessmentKey}$`));
    const gets = f.sim.requests.filter((r) => r.operationId === 'Assessments_Get');
    expect(gets.map((r) => r.query.$expand).sort()).toEqual(['links', 'metadata']);
    expect(f.sim.violations).toEqual([]);
  });
});

describe('CachingArmGateway over the real gateway', () => {
  it('concurrent look-ups of one initiative fetch it once; other spellings of its id share the entry', async () => {
    const cached = new CachingArmGateway(gateway, systemClock);
    const ids = Array.from({ length: 20 }, (_, i) => (i % 2 ? SEED.mcsbSetDefinitionId : SEED.mcsbSetDefinitionId.toUpperCase()));
    const sets = await Promise.all(ids.map((id) => cached.getPolicySetDefinition(id)));
    expect(new Set(sets.map((s) => s?.policyDefinitions.length))).toEqual(new Set([Object.keys(SEED.mcsbReferenceIds).length]));
    await cached.getPolicySetDefinition(SEED.mcsbSetDefinitionId);
    expect(setGets()).toHaveLength(1);
  });

  it('concurrent look-ups of one recommendation\'s metadata, in any case, read it once', async () => {
    const cached = new CachingArmGateway(gateway, systemClock);
    const keys = Array.from({ length: 20 }, (_, i) => (i % 2 ? DEFENDER.nativeAssessmentKey : DEFENDER.nativeAssessmentKey.toUpperCase()));
    const found = await Promise.all(keys.map((key) => cached.getAssessmentMetadata(key)));
    expect(new Set(found.map((m) => m?.mechanism))).toEqual(new Set(['defender']));
    expect(f.sim.requests.filter((r) => r.operationId === 'AssessmentsMetadata_Get')).toHaveLength(1);
  });

  it('a failed fetch is not remembered', async () => {
    const cached = new CachingArmGateway(gateway, systemClock);
    f.sim.faults.add({ operationId: 'PolicySetDefinitions_GetBuiltIn', kind: 'error', status: 503, times: 1 });
    await expect(cached.getPolicySetDefinition(SEED.mcsbSetDefinitionId)).rejects.toBeInstanceOf(ArmError);
    await expect(cached.getPolicySetDefinition(SEED.mcsbSetDefinitionId)).resolves.toBeDefined();
    expect(setGets().map((r) => r.status)).toEqual([503, 200]);
  });
});

describe('an ARM nobody answers', () => {
  it('connection refused → transient ArmError with status 0 → 503 with Retry-After', async () => {
    // Port 1 (tcpmux) is privileged and unused on any machine that runs these tests: nothing answers.
    const port = 1;
    const token: TokenCredential = { getToken: async () => ({ token: 'unused', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const nowhere = new AzureArmGateway({ endpoint: `https://127.0.0.1:${port}`, credential: token, retry: { maxRetries: 0 } });
    const error = await nowhere.getAssessment(SEED.resources.vmProd, SEED.assessmentKeys.jit).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArmError);
    expect(error).toMatchObject({ status: 0, transient: true });
    const response = problemFromError(error, { warn: () => undefined, error: () => undefined });
    expect(response.status).toBe(503);
    expect((response.headers as Record<string, string>)['retry-after']).toMatch(/^[1-9]\d*$/);
  });
});
