import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import type { ExemptionRequest } from '../../lib/requests/model.js';
import { TableRequestStore } from '../../lib/store/table-request-store.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { appliedMixedRequest, oldAndNowPolicyRequests, resourceGroupTarget, STANDARD_ID } from '../support/mechanism-requests.js';

let app: AppUnderTest;
let store: TableRequestStore;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest();
  const table = (name: string) => TableClient.fromConnectionString(app.azurite.connectionString, name, { allowInsecureConnection: true });
  const requests = table(STORAGE_NAMES.requestsTable);
  const openKeys = table(STORAGE_NAMES.openKeysTable);
  await Promise.all([requests.createTable(), openKeys.createTable()]);
  store = new TableRequestStore(requests, openKeys);
});
afterAll(async () => app?.close());

/** Stored as the apply worker leaves it, then read back only through the read API. */
async function stored(request: ExemptionRequest): Promise<ExemptionRequest> {
  await store.create(request, { requestId: request.id, at: request.createdAt, actor: request.requestedBy, channel: 'api', action: 'created', to: 'received' });
  return request;
}

describe('the read API shows both mechanisms and the coverage of a scope-wide target', () => {
  it('GET /api/exemption-requests/{id} returns each target\'s standards and coverage and the kind of each created exemption', async () => {
    const mixed = appliedMixedRequest();
    const request = await stored({ ...mixed, id: 'reqviewmixed1', dedupeKey: 'key-reqviewmixed1', targets: [...mixed.targets, resourceGroupTarget], requestedBy: 'viewer-mixed@contoso.com' });
    const response = await app.get(`/api/exemption-requests/${request.id}`);
    expect(response.status).toBe(200);
    expect(response.json.targets).toEqual(request.targets);
    expect(response.json.targets.map((t: { standards?: unknown[]; coverage?: unknown }) => [t.standards?.length ?? 0, t.coverage ?? null])).toEqual([
      [0, null], [1, null], [1, { resources: 12, unhealthy: 3, countedAt: '2026-12-01T10:00:00.000Z' }],
    ]);
    expect(response.json.exemptions).toEqual(request.exemptions);
    expect(response.json.exemptions.map((e: { kind: string }) => e.kind)).toEqual(['policy', 'standard']);
    expect(response.json.exemptions[1]).toMatchObject({ kind: 'standard', assignedStandardId: STANDARD_ID });
    expect(response.json).not.toHaveProperty('dedupeKey');

    const listed = await app.get('/api/exemption-requests?requestedBy=viewer-mixed@contoso.com');
    expect(listed.status).toBe(200);
    expect(listed.json.items).toHaveLength(1);
    expect(listed.json.items[0]).toMatchObject({ id: request.id, targets: request.targets, exemptions: request.exemptions });
  });

  it('a request stored before standards existed reads back as it was stored: no standards or kind are invented', async () => {
    const [old] = oldAndNowPolicyRequests();
    const request = await stored({ ...old, id: 'reqviewold1', dedupeKey: 'key-reqviewold1' });
    const response = await app.get(`/api/exemption-requests/${request.id}`);
    expect(response.status).toBe(200);
    expect(response.json.targets).toEqual(request.targets);
    expect(response.json.targets[0]).not.toHaveProperty('standards');
    expect(response.json.exemptions).toEqual(request.exemptions);
    expect(response.json.exemptions[0]).not.toHaveProperty('kind');
  });
});
