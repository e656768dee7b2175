import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, type AppServices } from '../../lib/composition-root.js';
import type { Mailer, OutgoingMail } from '../../lib/notify/mailer.js';
import { decide } from '../../lib/requests/decision-service.js';
import { submitRequest } from '../../lib/requests/intake-service.js';
import { notifyApprovers } from '../../lib/requests/notify-service.js';
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

it('records the emails even when an approver decides before the worker finishes mailing', async () => {
  const ports = await services.ports();
  const { request } = await submitRequest(ports, {
    source: 'api',
    resourceIds: [SEED.resources.vmProd],
    selector: { kind: 'assessment', assessmentKey: SEED.assessmentKeys.jit },
    category: 'Waiver',
    justification: 'JIT is enforced by the bastion',
    expiresOn: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    requestedBy: 'dev.owner@contoso.com',
  });
  const realMailer = ports.mailer;
  let decided = false;
  // The first approver clicks the moment their mail arrives, while the others are still being mailed.
  const clickingMailer: Mailer = {
    async send(mail: OutgoingMail) {
      await realMailer.send(mail);
      if (decided) return;
      decided = true;
      const token = decodeURIComponent(/token=([^\s"<]+)/.exec(mail.text)![1]!);
      const check = verifyReviewToken(services.settings.review.signingKey, token, new Date());
      if (!check.ok) throw new Error(check.reason);
      await decide({ ...ports, mailer: realMailer }, { fallbackApprovers: [], maxExpiryDays: 365 }, { claims: check.claims, outcome: 'approve' });
    },
  };
  const outcome = await notifyApprovers({ ...ports, mailer: clickingMailer }, {
    publicBaseUrl: services.settings.publicBaseUrl, signingKey: services.settings.review.signingKey, linkTtlHours: 1, fallbackApprovers: [],
  }, request.id);

  expect(outcome).toBe('notified');
  const stored = await ports.store.get(request.id);
  expect(stored?.value.state).toBe('approved');
  const trail = await ports.store.auditTrail(request.id);
  expect(trail.map((e) => e.action)).toEqual(['created', 'approvers-resolved', 'approved', 'notified']);
  expect(trail.at(-1)).toMatchObject({ detail: `emailed ${SEED.contactEmails[SEED.subscriptions.production]!.join(', ')}` });
  expect(trail.at(-1)?.to).toBeUndefined();
});
