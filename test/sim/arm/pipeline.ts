// One ARM request, after routing: authentication, route errors, request validation against the spec,
// dispatch by operationId, and the response self-check. Every contract breach lands in `violations`.
import { GRAPH_QUERY_OPERATIONS, type ResourceGraphSim } from '../graph/resource-graph.js';
import { HANDLERS, type Principal } from '../handlers/index.js';
import type { EntraSim } from '../entra.js';
import type { RouteResult, SpecOperation } from '../spec/routes.js';
import type { SpecValidator } from '../spec/validate.js';
import type { PolicyEvaluations } from '../state/evaluations.js';
import type { TenantState } from '../state/tenant-state.js';
import type { SimProblem, SimViolation } from '../types.js';
import { ArmError, invalidRequestContent } from './errors.js';
import type { RateLimiter } from './rate-limit.js';

export interface ArmRequest {
  method: string;
  rawPath: string;
  url: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
}

export interface ArmResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  principal?: Principal;
  parsedBody?: unknown;
}

export interface ArmDeps {
  state: TenantState;
  entra: EntraSim;
  validator: SpecValidator;
  rateLimiter: RateLimiter;
  violations: SimViolation[];
  validateResponses: boolean;
  enforceRateLimits: boolean;
  graph: ResourceGraphSim;
  policyInsights: PolicyEvaluations;
  /** The sim's clock (SimOptions.clock). */
  clock: () => number;
  baseUrl: () => string;
}

export async function handleArm(deps: ArmDeps, req: ArmRequest, route: RouteResult): Promise<ArmResponse> {
  const headers: Record<string, string> = {};
  const violation = (kind: SimViolation['kind'], problems: SimProblem[], operationId?: string) =>
    deps.violations.push({ method: req.method, url: req.url, kind, ...(operationId ? { operationId } : {}), problems });
  const fail = (e: ArmError, operationId?: string): ArmResponse => {
    if (e.problems) violation('request', e.problems, operationId);
    return { status: e.status, headers: { ...headers, ...e.extra.headers }, body: e.body() };
  };

  const auth = deps.entra.authenticate(firstHeader(req.headers.authorization));
  if (!('token' in auth)) {
    headers['www-authenticate'] = 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."';
    return fail(new ArmError(401, auth.code, auth.message));
  }
  const principal: Principal = { clientId: auth.token.clientId, objectId: auth.token.objectId };

  const kind = req.method === 'GET' || req.method === 'HEAD' ? 'reads' : 'writes';
  const bucket = deps.rateLimiter.take(principal.clientId, kind);
  headers[`x-ms-ratelimit-remaining-subscription-${kind}`] = String(Math.max(0, bucket.remaining));
  if (deps.enforceRateLimits && bucket.remaining < 0) {
    return fail(tooManyRequests(bucket.retryAfterSeconds));
  }

  if (req.rawPath.startsWith('//')) {
    return fail(invalidRequestContent([{ target: 'path', message: 'starts with "//": a scope or resource id was passed with its leading slash', keyword: 'path' }],
      `The request path '${req.rawPath}' is invalid: it contains an empty segment.`), route.kind === 'ok' ? route.operation.operationId : undefined);
  }
  const routeError = describeRouteError(route, req);
  if (routeError) return fail(routeError);
  if (route.kind !== 'ok') throw new Error('unreachable');
  const op = route.operation;

  // Resource Graph's per-user quota: reported on every answer, checked before the body so malformed
  // queries count too, as they do against the real service.
  if (GRAPH_QUERY_OPERATIONS.has(op.operationId)) {
    const q = deps.graph.quota.take(principal.clientId);
    Object.assign(headers, q.headers);
    if (!q.allowed) return { ...fail(tooManyRequests(Math.max(1, Math.ceil(q.resetsAfterMs / 1000)))), principal };
  }

  let body: unknown;
  if (req.bodyText.length) {
    try { body = JSON.parse(req.bodyText); } catch (e) {
      return { ...fail(invalidRequestContent([{ target: 'body', message: `is not valid JSON (${(e as Error).message})`, keyword: 'json' }]), op.operationId), principal };
    }
  }
  const bodyParam = op.parameters.find((p) => p.in === 'body');
  const values: Record<string, unknown> = { ...route.pathParams, ...req.query, ...(bodyParam && body !== undefined ? { [bodyParam.name]: body } : {}) };
  const problems = deps.validator.validateRequest(op, values);
  if (problems.length) return { ...fail(invalidRequestContent(problems), op.operationId), principal, parsedBody: body };

  const handler = HANDLERS[op.operationId];
  if (!handler) {
    const msg = `The simulated tenant does not implement ${op.operationId} (${op.method} ${op.template}, api-version ${op.apiVersion}).`;
    violation('request', [{ target: 'operation', message: msg, keyword: 'notImplemented' }], op.operationId);
    return { status: 501, headers, body: new ArmError(501, 'NotImplemented', msg).body(), principal, parsedBody: body };
  }

  let result;
  try {
    result = handler({ state: deps.state, op, params: route.pathParams, query: req.query, body, principal, now: new Date(deps.clock()), graph: deps.graph,
      policyInsights: deps.policyInsights, baseUrl: deps.baseUrl() });
  } catch (e) {
    if (!(e instanceof ArmError)) throw e;
    const r = fail(e, op.operationId);
    selfCheck(deps, op, r.status, r.body, false, (p) => violation('response', p, op.operationId));
    return { ...r, principal, parsedBody: body };
  }
  selfCheck(deps, op, result.status, result.body, result.bareArray === true, (p) => violation('response', p, op.operationId));
  return { status: result.status, headers: { ...headers, ...result.headers }, body: result.body, principal, parsedBody: body };
}

function selfCheck(deps: ArmDeps, op: SpecOperation, status: number, body: unknown, bareArray: boolean, report: (p: SimProblem[]) => void): void {
  if (!deps.validateResponses) return;
  const problems = deps.validator.validateResponse(op, status, bareArray ? { value: body } : body);
  if (problems.length) report(problems);
}

function describeRouteError(route: RouteResult, req: ArmRequest): ArmError | undefined {
  const contract = (status: number, code: string, message: string, keyword: string) =>
    new ArmError(status, code, message, {}, [{ target: keyword === 'api-version' ? 'query.api-version' : 'path', message, keyword }]);
  switch (route.kind) {
    case 'ok': return undefined;
    case 'noRoute':
      return contract(404, 'InvalidResourceType', `No operation of the simulated tenant matches '${req.method} ${req.rawPath}'.`, 'route');
    case 'missingApiVersion':
      return contract(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.", 'api-version');
    case 'badApiVersion':
      return contract(400, 'InvalidApiVersionParameter',
        `The api-version '${req.query['api-version']}' is invalid. The supported versions are '${route.supported.join(',')}'.`, 'api-version');
    case 'badMethod':
      return contract(405, 'HttpMethodNotAllowed', `The HTTP method '${req.method}' is not supported for this path. Allowed: ${route.allowed.join(', ')}.`, 'method');
  }
}

export function tooManyRequests(retryAfterSeconds: number): ArmError {
  return new ArmError(429, 'TooManyRequests',
    `The request is being throttled as the limit has been reached. Please try again after ${retryAfterSeconds} seconds.`,
    { headers: { 'retry-after': String(retryAfterSeconds) } });
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
