// Microsoft.ResourceGraph `Resources` (POST /providers/Microsoft.ResourceGraph/resources) at 2024-04-01:
// the query shapes of graph/query.ts (the sweep's exemptions, policy assignments, assessments and resources by type; Teams' subscriptions with their management groups), scoped to subscriptions or management groups, paged with
// $top (default 100, at most 1000 by the spec) and an opaque $skipToken. The per-user quota is applied
// before this handler runs (arm/pipeline.ts), so refused and invalid queries count too.
import { ArmError } from '../arm/errors.js';
import { managementGroupPrefix, type GraphScope } from '../graph/graph-index.js';
import { invalidQuery, parseGraphQuery } from '../graph/query.js';
import { project } from '../graph/rows.js';
import { SkipTokens } from '../graph/skip-token.js';
import { ok, type Handler, type HandlerContext } from './types.js';

interface QueryRequest {
  subscriptions?: string[];
  managementGroups?: string[];
  query: string;
  options?: {
    $top?: number; $skip?: number; $skipToken?: string; resultFormat?: 'table' | 'objectArray';
    allowPartialScopes?: boolean; authorizationScopeFilter?: string;
  };
  facets?: unknown[];
}

const DEFAULT_TOP = 100;

function graphError(code: string, message: string, target: string): ArmError {
  return new ArmError(400, 'BadRequest', `The Resource Graph request was refused: ${message}`, { details: [{ code, message }] },
    [{ target, message, keyword: 'graphRequest' }]);
}

/** Unknown subscriptions or groups are refused unless allowPartialScopes says to drop them, as Resource Graph does. */
function resolveScope(ctx: HandlerContext, req: QueryRequest): { scope: GraphScope; fingerprint: unknown[] } {
  const partial = req.options?.allowPartialScopes === true;
  if (req.subscriptions?.length && req.managementGroups?.length) {
    throw graphError('InvalidScope', 'give either subscriptions or managementGroups, not both', '/managementGroups');
  }
  if (req.managementGroups?.length) {
    const groups = req.managementGroups.map((name) => {
      const g = (ctx.state.seed.managementGroups ?? []).find((m) => m.name.toLowerCase() === name.toLowerCase());
      if (!g && !partial) throw graphError('InsufficientAuthorizationScope', `management group '${name}' is not accessible`, '/managementGroups');
      return g;
    }).filter((g) => g !== undefined);
    const subs = new Set(groups.flatMap((g) => g.subscriptionIds.map((s) => s.toLowerCase())));
    const prefixes = groups.map((g) => managementGroupPrefix(g.name));
    return { scope: { subscriptions: subs, managementGroupPrefixes: prefixes }, fingerprint: ['mg', prefixes.sort()] };
  }
  if (req.subscriptions?.length) {
    const known = req.subscriptions.map((s) => s.toLowerCase()).filter((s) => {
      if (ctx.state.subscriptions.has(s)) return true;
      if (!partial) throw graphError('InsufficientAuthorizationScope', `subscription '${s}' is not accessible`, '/subscriptions');
      return false;
    });
    const subs = new Set(known);
    return { scope: { subscriptions: subs }, fingerprint: ['sub', [...subs].sort()] };
  }
  return { scope: {}, fingerprint: ['tenant'] };
}

/** First index whose key sorts after `after` (entries are sorted by key). */
function firstAfter(entries: Array<{ key: string }>, after: string): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.key <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const resources: Handler = (ctx) => {
  const req = ctx.body as QueryRequest;
  const options = req.options ?? {};
  if (req.facets?.length) throw invalidQuery(req.query, 'facets are not supported');
  if (options.resultFormat === 'table') throw invalidQuery(req.query, "resultFormat 'table' is not supported (use objectArray)");
  if (options.authorizationScopeFilter && options.authorizationScopeFilter !== 'AtScopeAndBelow') {
    throw invalidQuery(req.query, `authorizationScopeFilter '${options.authorizationScopeFilter}' is not supported`);
  }
  const query = parseGraphQuery(req.query);
  const { scope, fingerprint } = resolveScope(ctx, req);
  const fp = SkipTokens.fingerprint([query.table, query.source, query.types ?? null, query.name ?? null, query.project ?? null, ...fingerprint]);
  const entries = ctx.graph.index.entries(query.source, scope, query.types, query.name);

  let start = options.$skip ?? 0;
  if (options.$skipToken !== undefined) {
    const t = ctx.graph.tokens.read(options.$skipToken, fp);
    if ('error' in t) throw graphError('InvalidSkipToken', `the $skipToken ${t.error}`, '/options/$skipToken');
    start = firstAfter(entries, t.after);
  }
  const top = options.$top ?? DEFAULT_TOP;
  const page = entries.slice(start, start + top);
  const more = start + page.length < entries.length && page.length > 0;
  return ok({
    totalRecords: entries.length,
    count: page.length,
    resultTruncated: 'false',
    ...(more ? { $skipToken: ctx.graph.tokens.issue(fp, page[page.length - 1]!.key) } : {}),
    facets: [],
    data: page.map((e) => project(e.row(), query.project)),
  });
};

export const resourceGraphHandlers: Record<string, Handler> = { Resources: resources };
