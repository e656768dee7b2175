import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, type AppServices } from '../../lib/composition-root.js';
import { decide } from '../../lib/requests/decision-service.js';
import { submitRequest } from '../../lib/requests/intake-service.js';
import type { ExemptionRequest } from '../../lib/requests/model.js';
import { notifyApprovers } from '../../lib/requests/notify-service.js';
import type { Notifier } from '../../lib/requests/ports/notifier.js';
import type { RequestStore } from '../../lib/requests/ports/store.js';
import type { RequestPorts } from '../../lib/requests/ports.js';
import { verifyReviewToken } from '../../lib/web/review-token.js';
import { SEED } from '../sim/seed-ids.js';
import { startLocalEnvironment, type LocalEnvironment } from '../support/local-environment.js';

let environment: LocalEnvironment;
let services: AppServices;

beforeAll(async () => {
  environment = await startLocalEnvironment({ publicBaseUrl: 'http://127.0.0.1:7071' });
  services = createServices({ env: environment.env });
});
afterAll(async () => environment?.stop());

const contacts = () => SEED.contactEmails[SEED.subscriptions.production]!;
const settings = { fallbackApprovers: [], maxExpiryDays: 365 };

async function submitted(ports: RequestPorts, requestedBy: string, resourceId: string, assessmentKey: string): Promise<ExemptionRequest> {
  const { request } = await submitRequest(ports, {
    source: 'api',
    resourceIds: [resourceId],
    selector: { kind: 'assessment', assessmentKey },
    category: 'Waiver',
    justification: 'JIT is enforced by the bastion',
    expiresOn: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    requestedBy,
    requesterAssurance: 'asserted', maxScopeLevel: 'resourceGroup',
  });
  return request;
}

it('records the notification even when an approver decides before the worker finishes', async () => {
  const ports = await services.ports();
  const request = await submitted(ports, 'dev.owner@contoso.com', SEED.resources.vmProd, SEED.assessmentKeys.jit);
  let decided = false;
  // The first approver clicks the moment their mail arrives, before the worker records it.
  const clickingNotifier: Notifier = {
    ...ports.notifier,
    async reviewRequested(r, approvers) {
      await ports.notifier.reviewRequested(r, approvers);
      if (decided) return;
      decided = true;
      const mail = (await environment.sim.smtp.waitFor((m) => m.text.includes(r.id)));
      const token = decodeURIComponent(/token=([^\s"<]+)/.exec(mail.text)![1]!);
      const check = verifyReviewToken(services.settings.review.signingKey, token, new Date());
      if (!check.ok) throw new Error(check.reason);
      const result = await decide(ports, settings, {
        requestId: r.id, approver: check.claims.approver, channel: 'review-page', credentialId: check.claims.tokenId, outcome: 'approve',
      });
      expect(result.kind).toBe('decided');
    },
  };
  const outcome = await notifyApprovers({ ...ports, notifier: clickingNotifier }, settings, request.id);

  expect(outcome).toBe('notified');
  expect((await ports.store.get(request.id))?.value.state).toBe('approved');
  const trail = await ports.store.auditTrail(request.id);
  expect(trail.map((e) => e.action)).toEqual(['created', 'approvers-resolved', 'approved', 'notified']);
  expect(trail.at(-1)).toMatchObject({ detail: `asked ${contacts().join(', ')}` });
  expect(trail.at(-1)?.to).toBeUndefined();
});

it('a decision whose read is overtaken by the worker recording "notified" is still stored, not a false conflict', async () => {
  const ports = await services.ports();
  const request = await submitted(ports, 'app.owner@contoso.com', SEED.resources.storageProd, SEED.assessmentKeys.secureTransfer);
  // First delivery: approvers are stored, then mail fails, so the request stays `received`.
  const failing: Notifier = { ...ports.notifier, reviewRequested: async () => { throw new Error('mail relay down'); } };
  await expect(notifyApprovers({ ...ports, notifier: failing }, settings, request.id)).rejects.toThrow('mail relay down');
  expect((await ports.store.get(request.id))?.value.state).toBe('received');

  // The approver's decision reads the request; before it writes, the redelivered message succeeds and
  // moves the request to `notified`, so the decision's ETag is stale.
  let overtaken = 0;
  const racingStore: RequestStore = {
    ...ports.store,
    get: (id) => ports.store.get(id),
    isTokenConsumed: (id, token) => ports.store.isTokenConsumed(id, token),
    async update(value, etag, audit, options) {
      if (overtaken++ === 0) expect(await notifyApprovers(ports, settings, request.id)).toBe('notified');
      return ports.store.update(value, etag, audit, options);
    },
  };
  const result = await decide({ ...ports, store: racingStore }, settings, {
    requestId: request.id, approver: contacts()[0]!, channel: 'review-page', credentialId: 'race-credential-0001', outcome: 'reject', comment: 'no',
  });

  expect(overtaken).toBe(2);
  expect(result).toMatchObject({ kind: 'decided', request: { state: 'rejected', decision: { by: contacts()[0] } } });
  const trail = await ports.store.auditTrail(request.id);
  expect(trail.map((e) => e.action)).toEqual(['created', 'approvers-resolved', 'notified', 'rejected']);
});
