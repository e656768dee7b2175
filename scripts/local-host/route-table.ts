import type { FunctionDefinition } from '../../lib/host/function-registry.js';

type HttpDefinition = Extract<FunctionDefinition, { kind: 'http' }>;

export interface RouteMatch {
  readonly definition: HttpDefinition;
  readonly params: Record<string, string>;
}

/** Matches "/api/<route>" the way the Functions host does: literal segments, {name} parameters, per method. */
export function matchRoute(definitions: readonly HttpDefinition[], routePrefix: string, method: string, pathname: string): RouteMatch | 'method-not-allowed' | 'bad-path' | undefined {
  const prefix = `/${routePrefix}/`;
  if (!pathname.startsWith(prefix)) return undefined;
  let segments: string[];
  try {
    segments = pathname.slice(prefix.length).split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    // A broken percent-escape ("%E0%A4%A") cannot name any route.
    return 'bad-path';
  }
  let pathMatched = false;
  for (const definition of definitions) {
    const pattern = definition.route.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = pattern.every((part, i) => {
      const param = /^\{(\w+)\}$/.exec(part);
      if (param?.[1]) {
        params[param[1]] = segments[i]!;
        return true;
      }
      return part.toLowerCase() === segments[i]!.toLowerCase();
    });
    if (!fits) continue;
    pathMatched = true;
    if (definition.methods.includes(method.toUpperCase() as never)) return { definition, params };
  }
  return pathMatched ? 'method-not-allowed' : undefined;
}
