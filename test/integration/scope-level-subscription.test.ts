import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultSeed } from '../sim/index.js';
import { DEFENDER, SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';

// Settings are per process: this file runs the app with the widest MAX_SCOPE_LEVEL, the default's
// refusal is shown in defender-native.test.ts.
let app: AppUnderTest;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest({ MAX_SCOPE_LEVEL: 'subscription' });
});
afterAll(async () => app?.close());

describe('MAX_SCOPE_LEVEL=subscription', () => {
  it('allows a subscription-wide request, counting every resource in the subscription the recommendation assesses', async () => {
    const subscription = `/subscriptions/${SEED.subscriptions.production}`;
    const key = DEFENDER.nativeAssessmentKey;
    const seed = await loadDefaultSeed();
    const assessed = [...seed.assessments, ...(seed.defender?.assessments ?? [])]
      .filter((a) => a.name.toLowerCase() === key && a.resourceId.toLowerCase().startsWith(`${subscription}/`));
    const response = await app.post('/api/exemption-requests', {
      resourceId: subscription, assessmentKey: key, justification: 'Secrets scanning is replaced by our own tooling', requestedBy: 'dev.owner@contoso.com',
    });
    expect(response.status, JSON.stringify(response.json)).toBe(202);
    expect(response.json.targets).toEqual([{
      resourceId: subscription, assignments: [],
      standards: [expect.objectContaining({ standardAssignmentId: DEFENDER.standardAssignments.subscription })],
      coverage: { resources: assessed.length, unhealthy: assessed.length, countedAt: expect.any(String) },
    }]);
    expect(assessed.length).toBeGreaterThan(0);
  });
});
