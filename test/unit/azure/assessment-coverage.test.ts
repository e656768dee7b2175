import { describe, expect, it } from 'vitest';
import { countAssessedResources } from '../../../lib/azure/assessment-coverage.js';
import { ArmError } from '../../../lib/azure/arm-error.js';
import type { ArmRestClient } from '../../../lib/azure/arm-rest-client.js';

const KEY = '3b9c2e7a-5d41-4f8e-a6b2-9c7d1e0f4a58';
const SUB = '/subscriptions/3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';

/** Records every query; answers with the pages given, in order. */
function graph(pages: Array<{ data: unknown[]; $skipToken?: string }>) {
  const sent: any[] = [];
  const rest = { send: async (_m: string, _s: string[], _v: string, body: unknown) => { sent.push(body); return { status: 200, body: pages.shift() ?? { data: [] } }; } };
  return { rest: rest as unknown as ArmRestClient, sent };
}

describe('countAssessedResources', () => {
  it('counts rows under the scope only, unhealthy ones apart, across pages', async () => {
    const rg = `${SUB}/resourceGroups/rg-app-prod`;
    const row = (id: string, code: string) => ({ id: `${id}/providers/Microsoft.Security/assessments/${KEY}`, properties: { status: { code } } });
    const { rest, sent } = graph([
      { data: [row(`${rg}/providers/Microsoft.Compute/virtualMachines/vm1`, 'Unhealthy'), row(`${SUB}/resourceGroups/rg-app-prod-2/providers/Microsoft.Compute/virtualMachines/vm9`, 'Unhealthy')], $skipToken: 't1' },
      { data: [row(`${rg.toUpperCase()}/providers/Microsoft.Compute/virtualMachines/vm2`, 'Healthy'), { id: 42 }, null] },
    ]);
    expect(await countAssessedResources(rest, rg, KEY.toUpperCase())).toEqual({ resources: 2, unhealthy: 1, complete: true });
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({ subscriptions: ['3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90'], query: expect.stringContaining(`name =~ '${KEY}'`) });
    expect(sent[1].options.$skipToken).toBe('t1');
  });

  it.each([
    ['a key that is not a GUID', SUB, `${KEY}' or 1 == 1 or name =~ '`],
    ['a single resource', `${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`, KEY],
    ['a scope that climbs', `${SUB}/resourceGroups/../x`, KEY],
    ['a management group', '/providers/Microsoft.Management/managementGroups/contoso', KEY],
  ])('refuses %s before any query is sent', async (_label, scope, key) => {
    const { rest, sent } = graph([]);
    await expect(countAssessedResources(rest, scope, key)).rejects.toBeInstanceOf(ArmError);
    expect(sent).toEqual([]);
  });
});
