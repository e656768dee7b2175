import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { defenderEvent } from '../support/defender-event.js';
import { openReview, reviewLinkIn, submitReview } from '../support/review-flow.js';

let app: AppUnderTest;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest();
});
afterAll(async () => app?.close());

describe('the closed loop on the simulated tenant', () => {
  it('turns a Defender event into one exemption per covering assignment', async () => {
    const { resourceId, assessmentKey, expected } = SEED.twoAssignments;
    // As the relay forwards it, with the casing and link variants real events show.
    const intake = await app.post('/api/exemption-requests', defenderEvent(resourceId, assessmentKey, { casing: 'pascal', portalWithoutScheme: true }));
    expect(intake.status).toBe(202);
    expect(intake.headers.get('location')).toBe(`${app.baseUrl}/api/exemption-requests/${intake.json.id}`);
    expect(intake.json.state).toBe('received');
    expect(intake.json.targets).toEqual([{ resourceId, assignments: expected.map((e) => expect.objectContaining(e)) }]);
    const id: string = intake.json.id;

    // Every security contact of the production subscription gets a personal link.
    const contacts = SEED.contactEmails[SEED.subscriptions.production]!;
    const mails = await Promise.all(contacts.map((address) => app.sim.smtp.waitFor((m) => m.to.includes(address) && m.text.includes(id), 15_000)));
    const review = mails[1]!;
    expect(review.subject).toContain('Review');
    expect(review.html).toContain('https://portal.azure.com/');
    await app.waitForState(id, ['notified']);

    const opened = await openReview(reviewLinkIn(review));
    expect(opened.status).toBe(200);
    const decided = await submitReview(app.baseUrl, opened, { decision: 'approve', comment: 'Private endpoint only; accepted until migration.' });
    expect(decided.status).toBe(200);
    expect(decided.html).toMatch(/approved/i);

    const applied = await app.waitForState(id, ['applied', 'failed']);
    expect(applied.state).toBe('applied');
    expect(applied.exemptions).toHaveLength(2);

    const created = app.sim.exemptions().filter((e) => e.properties.metadata?.requestId === id);
    expect(created).toHaveLength(2);
    for (const assignment of expected) {
      const exemption = created.find((e) => e.properties.policyAssignmentId.toLowerCase() === assignment.policyAssignmentId.toLowerCase());
      expect(exemption, assignment.policyAssignmentId).toBeDefined();
      expect(exemption!.id.toLowerCase().startsWith(`${resourceId.toLowerCase()}/providers/microsoft.authorization/policyexemptions/`)).toBe(true);
      expect(exemption!.properties.policyDefinitionReferenceIds).toEqual(assignment.policyDefinitionReferenceIds);
      expect(exemption!.properties.exemptionCategory).toBe('Waiver');
      expect(exemption!.properties.metadata).toEqual({
        requestedBy: applied.requestedBy,
        approvedBy: contacts[1],
        approvedOn: applied.decision.at,
        ticketRef: '',
        requestId: id,
        managedBy: 'exemption-broker',
      });
    }

    const actions = applied.auditTrail.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(['created', 'approvers-resolved', 'notified', 'approved', 'applying', 'applied']);
    expect(applied.auditTrail.find((e: { action: string }) => e.action === 'approved').actor).toBe(contacts[1]);

    // The approver hears that the exemptions exist.
    const done = await app.sim.smtp.waitFor((m) => m.to.includes(contacts[1]!) && m.subject.toLowerCase().includes('applied'), 10_000);
    expect(done.text).toContain(created[0]!.id);
    expect(app.sim.violations).toEqual([]);
  });

  it('answers a duplicate of an open request with the existing one', async () => {
    const { resourceId, assessmentKey } = SEED.initiativeAndDirect;
    const first = await app.post('/api/exemption-requests', defenderEvent(resourceId, assessmentKey));
    expect(first.status).toBe(202);
    const second = await app.post('/api/exemption-requests', defenderEvent(resourceId, assessmentKey, { casing: 'pascal' }));
    expect(second.status).toBe(200);
    expect(second.json.id).toBe(first.json.id);
    // An initiative assignment and a direct one: the direct one has no reference ids.
    const refs = first.json.targets[0].assignments.map((a: { policyDefinitionReferenceIds: string[] }) => a.policyDefinitionReferenceIds.length).sort();
    expect(refs).toEqual([0, 1]);
  });

  it('reads security contacts answered as a bare array', async () => {
    const resourceId = SEED.resources.storageShared;
    const intake = await app.post('/api/exemption-requests', {
      resourceId, assessmentKey: SEED.assessmentKeys.secureTransfer, justification: 'Shared services exception',
      requestedBy: 'dev.owner@contoso.com', expiresOn: new Date(Date.now() + 30 * 86_400_000).toISOString(), ticketRef: 'CHG0012345',
    });
    expect(intake.status).toBe(202);
    const notified = await app.waitForState(intake.json.id, ['notified']);
    expect([...notified.approvers].sort()).toEqual([...SEED.contactEmails[SEED.subscriptions.shared]!].sort());
  });

  it('lists requests with filters and paging', async () => {
    const all = await app.get(`/api/exemption-requests?subscriptionId=${SEED.subscriptions.production}&pageSize=1`);
    expect(all.status).toBe(200);
    expect(all.json.items).toHaveLength(1);
    expect(all.json.nextLink).toContain('continuationToken=');
    const next = await app.get(new URL(all.json.nextLink).pathname + new URL(all.json.nextLink).search);
    expect(next.json.items).toHaveLength(1);
    expect(next.json.items[0].id).not.toBe(all.json.items[0].id);
    const mine = await app.get('/api/exemption-requests?requestedBy=dev.owner@contoso.com');
    expect(mine.json.items.map((r: { requestedBy: string }) => r.requestedBy)).toEqual(['dev.owner@contoso.com']);
    const applied = await app.get('/api/exemption-requests?state=applied');
    expect(applied.json.items.every((r: { state: string }) => r.state === 'applied')).toBe(true);
    expect(applied.json.items.length).toBeGreaterThan(0);
    const bad = await app.get('/api/exemption-requests?state=bogus');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].field).toBe('state');
  });
});

