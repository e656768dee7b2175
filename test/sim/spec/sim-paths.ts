// Operations ARM really has but no swagger declares, written down here so they go through the same
// routing, validation, faults and request log as the spec'd ones. Keep this list short, and say for each
// where its shape comes from: these are the sim's own contract, not Microsoft's.
import type { Json, LoadedSpec } from './load.js';

const QUERY_FAILURE: Json = {
  properties: {
    error: { properties: { code: { type: 'string', readOnly: true }, message: { type: 'string', readOnly: true } } },
  },
};

/**
 * Policy Insights' long-running-operation status: the `Location` the trigger-evaluation operations answer
 * 202 with (policyinsights/2024-10-01 examples). Polling it answers 202 (same Location, Retry-After) while
 * the scan runs and 200 `{ "status": "Succeeded" }` once it is done, as Microsoft's compliance-data how-to
 * describes; errors in the trigger operations' QueryFailure shape.
 */
const POLICY_INSIGHTS_OPERATION_RESULTS: Json = {
  swagger: '2.0',
  info: { version: '2024-10-01' },
  paths: {
    '/subscriptions/{subscriptionId}/providers/Microsoft.PolicyInsights/asyncOperationResults/{asyncOperationId}': {
      get: {
        operationId: 'PolicyInsights_GetAsyncOperationResult',
        parameters: [
          { name: 'subscriptionId', in: 'path', required: true, type: 'string' },
          { name: 'asyncOperationId', in: 'path', required: true, type: 'string' },
          { name: 'api-version', in: 'query', required: true, type: 'string' },
        ],
        responses: {
          200: { schema: { type: 'object', properties: { status: { type: 'string', enum: ['Succeeded'] } }, required: ['status'] } },
          202: {},
          default: { schema: QUERY_FAILURE },
        },
      },
    },
  },
};

export const SIM_DECLARED_SPECS: readonly LoadedSpec[] = [
  { file: 'sim:policyinsights/2024-10-01/asyncOperationResults', apiVersion: '2024-10-01', doc: POLICY_INSIGHTS_OPERATION_RESULTS },
];
