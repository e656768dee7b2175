import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, type AppServices } from '../../lib/composition-root.js';
import { submitRequest } from '../../lib/requests/intake-service.js';
import { notifyApprovers } from '../../lib/requests/notify-service.js';
import type { Notifier } from '../../lib/requests/ports/notifier.js';
import { REQUEST_LIMITS } from '../../lib/requests/request-size.js';
import { SEED } from '../sim/seed-ids.js';
import { startLocalEnvironment, type LocalEnvironment } from '../support/local-environment.js';

let environment: LocalEnvironment;
let services: AppServices;
const fallback = Array.from({ length: 60 }, (_, i) => `approver${String(i).padStart(2, '0')}@contoso.com`);

beforeAll(async () => {
  environment = await startLocalEnvironment({ extraEnv: { FALLBACK_APPROVERS: fallback.join(';') } });
  services = createServices({ env: environment.env });
});
afterAll(async () => environment?.stop());

it('asks at most as many approvers as a stored request can hold, and says how many were left out', async () => {
  const ports = await services.ports();
  const { request } = await submitRequest(ports, {
    source: 'api', resourceIds: [SEED.resources.storageProd], selector: { kind: 'assessment', assessmentKey: SEED.assessmentKeys.secureTransfer },
    category: 'Waiver', justification: 'Behind a private endpoint', requestedBy: 'dev.owner@contoso.com', requesterAssurance: 'asserted', maxScopeLevel: 'resourceGroup',
    expiresOn: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  });
  const asked: string[] = [];
  const recording: Notifier = { ...ports.notifier, reviewRequested: async (_r, approvers) => void asked.push(...approvers) };
  expect(await notifyApprovers({ ...ports, notifier: recording }, { fallbackApprovers: fallback }, request.id)).toBe('notified');

  const everyone = [...SEED.contactEmails[SEED.subscriptions.production]!, ...fallback];
  expect(asked).toEqual(everyone.slice(0, REQUEST_LIMITS.approvers));
  const stored = await ports.store.get(request.id);
  expect(stored?.value).toMatchObject({ state: 'notified', approvers: asked });
  const resolved = (await ports.store.auditTrail(request.id)).find((e) => e.action === 'approvers-resolved');
  expect(resolved?.detail).toMatch(new RegExp(`\\(${everyone.length - REQUEST_LIMITS.approvers} more contacts not asked: at most ${REQUEST_LIMITS.approvers}\\)$`));
});
