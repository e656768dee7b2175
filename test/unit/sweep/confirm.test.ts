import { describe, expect, it } from 'vitest';
import type { ResourceScope } from '../../../lib/azure/resource-id.js';
import { confirmExemption } from '../../../lib/sweep/sources/confirm.js';
import { fakeTransport } from './fake-arm.js';
import { exemptionRow, SUB, VM } from './rows.js';

const scope: ResourceScope = { kind: 'resource', subscriptionId: SUB, resourceGroup: 'rg-prod', providerNamespace: 'Microsoft.Compute', path: [{ type: 'virtualMachines', name: 'vm-1' }] };
const PATH = `${VM}/providers/Microsoft.Authorization/policyExemptions/eb-1`;

describe('confirmExemption', () => {
  it('a 404 means gone', async () => {
    const { arm, transport } = fakeTransport(() => ({ status: 404, body: { error: { code: 'PolicyExemptionNotFound', message: 'gone' } } }));
    await expect(confirmExemption(transport, { scope, name: 'eb-1' })).resolves.toEqual({ state: 'gone' });
    expect(arm.seen.map((r) => [r.method, r.path, r.query])).toEqual([['GET', PATH, { 'api-version': '2024-12-01-preview' }]]);
  });

  it('a 200 gives ARM’s current properties, not the row’s', async () => {
    const { transport } = fakeTransport(() => ({ status: 200, body: exemptionRow('eb-1', { properties: { expiresOn: '2027-01-01T00:00:00Z' } }) }));
    const confirmed = await confirmExemption(transport, { scope, name: 'eb-1' });
    expect(confirmed.state).toBe('present');
    expect(confirmed.state === 'present' && confirmed.exemption).toMatchObject({ name: 'eb-1', expiresOn: '2027-01-01T00:00:00.000Z' });
  });

  it('a 200 the parser refuses, or naming another exemption, is unreadable, not present', async () => {
    const bad = fakeTransport(() => ({ status: 200, body: exemptionRow('eb-1', { properties: { exemptionCategory: 'Forever' } }) }));
    await expect(confirmExemption(bad.transport, { scope, name: 'eb-1' })).resolves.toMatchObject({ state: 'unreadable', reason: expect.stringMatching(/exemptionCategory/) });
    const other = fakeTransport(() => ({ status: 200, body: exemptionRow('eb-2') }));
    await expect(confirmExemption(other.transport, { scope, name: 'eb-1' })).resolves.toMatchObject({ state: 'unreadable' });
  });

  it('a 403 is thrown: not knowing is not gone', async () => {
    const { transport } = fakeTransport(() => ({ status: 403, body: { error: { code: 'AuthorizationFailed', message: 'no' } } }));
    await expect(confirmExemption(transport, { scope, name: 'eb-1' })).rejects.toMatchObject({ status: 403, code: 'AuthorizationFailed' });
  });

  it('a 429 is waited out, then the answer counts', async () => {
    let calls = 0;
    const { pacer, transport } = fakeTransport(() => (calls++ === 0 ? { status: 429, headers: { 'retry-after': '3' } } : { status: 404 }));
    await expect(confirmExemption(transport, { scope, name: 'eb-1' })).resolves.toEqual({ state: 'gone' });
    expect(pacer.sleeps).toEqual([3000]);
  });
});
