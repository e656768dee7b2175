// The spec examples shipped in test/fixtures/azure-specs go through the sim's own validator: the
// requests must pass (the validator accepts good input), and a hand-broken copy of each must fail (it
// still rejects bad input). Example responses are checked with the response-mode rules as well.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadServedSpecs, SPEC_ROOT } from '../../sim/spec/load.js';
import { RouteTable, type SpecOperation } from '../../sim/spec/routes.js';
import { SpecValidator } from '../../sim/spec/validate.js';

const CASES: Array<[example: string, operationId: string]> = [
  ['policy/2024-12-01-preview/examples/createOrUpdatePolicyExemption.json', 'PolicyExemptions_CreateOrUpdate'],
  ['policy/2024-12-01-preview/examples/createOrUpdatePolicyExemptionWithResourceSelectors.json', 'PolicyExemptions_CreateOrUpdate'],
  ['policy/2024-12-01-preview/examples/updatePolicyExemptionWithResourceSelectors.json', 'PolicyExemptions_Update'],
  ['policy/2024-12-01-preview/examples/listPolicyExemptionsForManagementGroup.json', 'PolicyExemptions_ListForManagementGroup'],
  ['policy/2024-12-01-preview/examples/listPolicyExemptionsForResource.json', 'PolicyExemptions_ListForResource'],
  ['policy/2024-12-01-preview/examples/listPolicyExemptionsForResourceGroup.json', 'PolicyExemptions_ListForResourceGroup'],
  ['policy/2025-03-01/examples/getBuiltInPolicySetDefinition.json', 'PolicySetDefinitions_GetBuiltIn'],
  ['policy/2025-03-01/examples/getPolicyAssignmentWithIdentityById.json', 'PolicyAssignments_GetById'],
  ['policy/2025-03-01/examples/listPolicyAssignmentsForResourceGroup.json', 'PolicyAssignments_ListForResourceGroup'],
  ['security/2021-06-01/examples/Assessments/GetAssessmentWithExpand_example.json', 'Assessments_Get'],
  ['security/2021-06-01/examples/Assessments/ListAssessments_example.json', 'Assessments_List'],
  ['security/2023-12-01-preview/examples/SecurityContacts/GetSecurityContactsSubscription_example.json', 'SecurityContacts_List'],
  ['security/2023-12-01-preview/examples/SecurityContacts/GetSecurityContact_example.json', 'SecurityContacts_Get'],
  ['security/2023-12-01-preview/examples/SecurityContacts/CreateSecurityContact_example.json', 'SecurityContacts_Create'],
  ['security/2023-12-01-preview/examples/SecurityContacts/DeleteSecurityContact_example.json', 'SecurityContacts_Delete'],
  ['resourcegraph/2024-04-01/examples/ResourcesBasicQuery.json', 'Resources'],
  ['resourcegraph/2024-04-01/examples/ResourcesFirstPageQuery.json', 'Resources'],
  ['resourcegraph/2024-04-01/examples/ResourcesNextPageQuery.json', 'Resources'],
  ['resourcegraph/2024-04-01/examples/ResourcesMgBasicQuery.json', 'Resources'],
];

// Upstream example defects, kept verbatim in the fixtures (see their README).
const EXAMPLE_API_VERSION_TYPOS: Record<string, string> = {
  'security/2023-12-01-preview/examples/SecurityContacts/GetSecurityContact_example.json': '2023-10-01-preview',
};

interface Example {
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown }>;
}

/** Breaks an example request: an undeclared property in the body, or a missing required path parameter. */
function breakRequest(op: SpecOperation, ex: Example): Record<string, unknown> {
  const params = structuredClone(ex.parameters);
  const body = op.parameters.find((p) => p.in === 'body');
  if (body) {
    params[body.name] = { ...(params[body.name] as object), unexpectedProperty: true };
    return params;
  }
  const required = op.parameters.find((p) => p.in === 'path' && p.required);
  delete params[required!.name];
  return params;
}

describe('sim validator vs. the spec examples', () => {
  let ops: SpecOperation[];
  const validator = new SpecValidator();
  beforeAll(async () => { ops = new RouteTable(await loadServedSpecs()).operations(); });

  it.each(CASES)('%s: request and responses validate; a broken copy is rejected', async (file, operationId) => {
    const ex = JSON.parse(await readFile(path.join(SPEC_ROOT, file), 'utf8')) as Example;
    const op = ops.find((o) => o.operationId === operationId && file.startsWith(path.dirname(o.specFile)));
    expect(op, `operation ${operationId} for ${file}`).toBeDefined();
    expect(ex.parameters['api-version']).toBe(EXAMPLE_API_VERSION_TYPOS[file] ?? op!.apiVersion);

    expect(validator.validateRequest(op!, ex.parameters)).toEqual([]);
    for (const [status, r] of Object.entries(ex.responses)) {
      expect(validator.validateResponse(op!, Number(status), r.body), `response ${status}`).toEqual([]);
    }

    const problems = validator.validateRequest(op!, breakRequest(op!, ex));
    expect(problems.length).toBeGreaterThan(0);
  });

  it('rejects a response with an undeclared status or an invented property', async () => {
    const op = ops.find((o) => o.operationId === 'PolicyExemptions_Get')!;
    const ex = JSON.parse(await readFile(path.join(SPEC_ROOT, 'policy/2024-12-01-preview/examples/createOrUpdatePolicyExemption.json'), 'utf8')) as Example;
    const good = ex.responses['200']!.body as { properties: object };
    expect(validator.validateResponse(op, 200, good)).toEqual([]);
    expect(validator.validateResponse(op, 200, { ...good, properties: { ...good.properties, invented: 1 } }))
      .toEqual([expect.objectContaining({ target: '/properties', keyword: 'additionalProperties' })]);
    const del = ops.find((o) => o.operationId === 'PolicyExemptions_Delete')!;
    expect(validator.validateResponse(del, 200, { unexpected: 'body' })).toHaveLength(1);
    expect(validator.validateResponse(del, 204, undefined)).toEqual([]);
  });
});
