// Microsoft.PolicyInsights 2024-10-01: PolicyStates_TriggerSubscriptionEvaluation / _TriggerResourceGroupEvaluation
// (POST …/policyStates/latest/triggerEvaluation, a long-running operation with final-state-via location),
// and the status of that operation (spec/sim-paths.ts). A trigger answers 202 with `Location`
// (…/providers/Microsoft.PolicyInsights/asyncOperationResults/{id}?api-version=2024-10-01) and `Retry-After`,
// as the spec's examples do; the Location answers 202 until the scan is done, then 200.
import { notFound } from '../arm/errors.js';
import { existingScope, scopeFromParams } from './scope-params.js';
import { ok, type Handler, type HandlerContext, type HandlerResult } from './types.js';

const API_VERSION = '2024-10-01';

function accepted(ctx: HandlerContext, subscriptionId: string, operationId: string): HandlerResult {
  const location = `${ctx.baseUrl}/subscriptions/${subscriptionId}/providers/Microsoft.PolicyInsights/asyncOperationResults/${operationId}?api-version=${API_VERSION}`;
  return { status: 202, headers: { location, 'retry-after': String(ctx.policyInsights.retryAfterSeconds) } };
}

const trigger: Handler = (ctx) => {
  const scope = existingScope(ctx, scopeFromParams(ctx.params));
  const subscriptionId = ctx.state.subscriptions.get((ctx.params.subscriptionId ?? '').toLowerCase())!.subscriptionId;
  const op = ctx.policyInsights.trigger(subscriptionId, scope, ctx.now);
  return accepted(ctx, subscriptionId, op.id);
};

const operationResult: Handler = (ctx) => {
  const subscriptionId = ctx.params.subscriptionId ?? '';
  existingScope(ctx, `/subscriptions/${subscriptionId}`);
  const id = ctx.params.asyncOperationId ?? '';
  const state = ctx.policyInsights.poll(subscriptionId, id);
  if (!state) throw notFound('AsyncOperationNotFound', `The async operation '${id}' could not be found in subscription '${subscriptionId}'.`);
  return state === 'done' ? ok({ status: 'Succeeded' }) : accepted(ctx, subscriptionId, id);
};

export const policyInsightsHandlers: Record<string, Handler> = {
  PolicyStates_TriggerSubscriptionEvaluation: trigger,
  PolicyStates_TriggerResourceGroupEvaluation: trigger,
  PolicyInsights_GetAsyncOperationResult: operationResult,
};
