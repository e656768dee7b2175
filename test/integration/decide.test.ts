import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type AppServices } from '../../lib/composition-root.js';
import { decide } from '../../lib/requests/decision-service.js';
import { submitRequest } from '../../lib/requests/intake-service.js';
import { notifyApprovers } from '../../lib/requests/notify-service.js';
import type { RequestPorts } from '../../lib/requests/ports.js';
import { SEED } from '../sim/seed-ids.js';
import { startLocalEnvironment, type LocalEnvironment } from '../support/local-environment.js';

let environment: LocalEnvironment;
let services: AppServices;
beforeAll(async () => {
  environment = await startLocalEnvironment({ publicBaseUrl: 'http://127.0.0.1:7071' });
  services = createServices({ env: environment.env });
});
afterAll(async () => environment?.stop());

const settings = { fallbackApprovers: [], maxExpiryDays: 365 };
const approver = SEED.contactEmails[SEED.subscriptions.production]![1]!;
const REFERENCES = [SEED.mcsbReferenceIds.secureTransfer, SEED.mcsbReferenceIds.jit, SEED.mcsbReferenceIds.systemUpdates];
let sequence = 0;

/** A notified request on its own resource and reference id, so none is a duplicate of another. */
async function notified(ports: RequestPorts) {
  const i = sequence++;
  const { request } = await submitRequest(ports, {
    source: 'api',
    resourceIds: [[SEED.resources.storageProd, SEED.resources.storageData, SEED.resources.vmProd][i % 3]!],
    selector: { kind: 'assignment', policyAssignmentId: SEED.assignments.mcsbProduction, policyDefinitionReferenceIds: [REFERENCES[Math.floor(i / 3)]!] },
    category: 'Waiver', justification: 'Behind a private endpoint', requestedBy: 'dev.owner@contoso.com', requesterAssurance: 'asserted', maxScopeLevel: 'resourceGroup',
    expiresOn: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  });
  await notifyApprovers(ports, settings, request.id);
  return request.id;
}

const input = (requestId: string, credentialId: string) =>
  ({ requestId, approver, channel: 'review-page' as const, credentialId, outcome: 'approve' as const });

describe('decide, for every channel', () => {
  it('an approval whose apply message cannot be queued is still stored, and says so', async () => {
    const ports = await services.ports();
    const id = await notified(ports);
    const warnings: string[] = [];
    const queueDown = { send: async () => { throw new Error('queue service unavailable'); } };
    const result = await decide({ ...ports, applyQueue: queueDown, warn: (m) => warnings.push(m) }, settings, input(id, 'credential-queue-down-01'));
    expect(result).toMatchObject({ kind: 'decided', applyQueued: false, request: { state: 'approved' } });
    expect((await ports.store.get(id))?.value.state).toBe('approved');
    expect(warnings.join('\n')).toMatch(/approved but its apply message could not be queued: queue service unavailable/);
  });

  it('a credential decides once; a second use is refused', async () => {
    const ports = await services.ports();
    const id = await notified(ports);
    expect((await decide(ports, settings, input(id, 'credential-once-0001'))).kind).toBe('decided');
    const again = await decide(ports, settings, { ...input(id, 'credential-once-0001'), outcome: 'reject' });
    expect(again).toEqual({ kind: 'refused', reason: { code: 'credential-used' } });
  });

  it('a decided request refuses further decisions with its state', async () => {
    const ports = await services.ports();
    const id = await notified(ports);
    await decide(ports, settings, input(id, 'credential-first-0001'));
    const late = await decide(ports, settings, { ...input(id, 'credential-later-0001'), approver: 'bob.approver@contoso.com' });
    expect(late).toEqual({ kind: 'refused', reason: { code: 'not-decidable', state: expect.stringMatching(/^(approved|applying|applied)$/) } });
  });

  it.each([
    ['the requester under another spelling', { approver: 'Dev.Owner+x@contoso.com' }, { code: 'own-request' }],
    ['someone who is not an approver', { approver: 'mallory@contoso.com' }, { code: 'not-an-approver', approver: 'mallory@contoso.com' }],
    ['an expiry in the past', { expiresOn: '2020-01-01' }, { code: 'invalid', field: 'expiresOn', message: 'expiresOn must be in the future' }],
    ['an expiry beyond the window', { expiresOn: '2999-01-01' }, { code: 'invalid', field: 'expiresOn', message: 'expiresOn must be at most 365 days ahead' }],
  ])('refuses %s and stores nothing', async (_label, change, reason) => {
    const ports = await services.ports();
    const id = await notified(ports);
    const before = await ports.store.auditTrail(id);
    expect(await decide(ports, settings, { ...input(id, `credential-refused-${sequence}`), ...change })).toEqual({ kind: 'refused', reason });
    expect((await ports.store.get(id))?.value.state).toBe('notified');
    expect(await ports.store.auditTrail(id)).toEqual(before);
  });
});
