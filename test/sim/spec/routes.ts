// Route table built from the specs' paths and x-ms-paths. ARM routes by resource type first and only
// then checks the api-version, so matching picks the most specific template across all loaded specs and
// reports a wrong api-version against that template (not against some catch-all like /{policyAssignmentId}).
import type { Json, LoadedSpec } from './load.js';

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head'] as const;

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'body' | 'formData';
  required?: boolean;
  schema?: Json;
  [k: string]: unknown;
}

export interface SpecOperation {
  operationId: string;
  method: string;
  template: string;
  apiVersion: string;
  specFile: string;
  parameters: SpecParameter[];
  responses: Record<string, { schema?: Json }>;
}

interface RouteTemplate {
  template: string;
  regex: RegExp;
  params: Array<{ name: string; multi: boolean }>;
  literalSegments: number;
  /** api-version → METHOD → operation */
  versions: Map<string, Map<string, SpecOperation>>;
}

export type RouteResult =
  | { kind: 'ok'; operation: SpecOperation; pathParams: Record<string, string> }
  | { kind: 'noRoute' }
  | { kind: 'missingApiVersion'; supported: string[] }
  | { kind: 'badApiVersion'; supported: string[] }
  | { kind: 'badMethod'; allowed: string[] };

// Parameters that take a whole ARM id: only ids of the right type match, so `/{policyAssignmentId}`
// does not swallow every other path at 2025-03-01.
const ID_SHAPES: Record<string, RegExp> = {
  policyAssignmentId: /\/providers\/Microsoft\.Authorization\/policyAssignments\/[^/]+$/i,
};
// A `scope` is always a multi-segment ARM path, but securityStandards/standardAssignments 2024-08-01
// declare their own Scope parameter without x-ms-skip-url-encoding (their ListStandardAssignments example
// sends a resource-group path unencoded, as ARM accepts it).
const ALWAYS_MULTI = new Set(['scope']);
// ARM documents '' for this one ("should not be provided (or provided as '')").
const MAY_BE_EMPTY = new Set(['parentResourcePath']);

export class RouteTable {
  private readonly routes = new Map<string, RouteTemplate>();

  constructor(specs: LoadedSpec[]) {
    for (const spec of specs) {
      for (const section of ['paths', 'x-ms-paths'] as const) {
        for (const [template, item] of Object.entries<Json>(spec.doc[section] ?? {})) this.add(spec, template, item);
      }
    }
  }

  operations(): SpecOperation[] {
    return [...this.routes.values()].flatMap((r) => [...r.versions.values()].flatMap((m) => [...m.values()]));
  }

  private add(spec: LoadedSpec, template: string, item: Json): void {
    const pathLevel: SpecParameter[] = item.parameters ?? [];
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters = mergeParameters(pathLevel, op.parameters ?? []);
      const key = template.replace(/\{[^}]+\}/g, '{}').toLowerCase();
      let route = this.routes.get(key);
      if (!route) {
        route = compile(template, parameters);
        this.routes.set(key, route);
      }
      let byMethod = route.versions.get(spec.apiVersion);
      if (!byMethod) route.versions.set(spec.apiVersion, (byMethod = new Map()));
      byMethod.set(method.toUpperCase(), {
        operationId: op.operationId, method: method.toUpperCase(), template, apiVersion: spec.apiVersion,
        specFile: spec.file, parameters, responses: op.responses ?? {},
      });
    }
  }

  match(method: string, rawPath: string, apiVersion: string | undefined): RouteResult {
    let best: { route: RouteTemplate; params: Record<string, string> } | undefined;
    for (const route of this.routes.values()) {
      const params = matchRoute(route, rawPath);
      if (!params) continue;
      if (!best || rank(route) > rank(best.route)) best = { route, params };
    }
    if (!best) return { kind: 'noRoute' };
    const supported = [...best.route.versions.keys()].sort();
    if (!apiVersion) return { kind: 'missingApiVersion', supported };
    const byMethod = best.route.versions.get(apiVersion);
    if (!byMethod) return { kind: 'badApiVersion', supported };
    const operation = byMethod.get(method.toUpperCase());
    if (!operation) return { kind: 'badMethod', allowed: [...byMethod.keys()] };
    return { kind: 'ok', operation, pathParams: best.params };
  }
}

function rank(r: RouteTemplate): number {
  return r.literalSegments * 100 - r.params.filter((p) => p.multi).length;
}

function mergeParameters(pathLevel: SpecParameter[], opLevel: SpecParameter[]): SpecParameter[] {
  const byKey = new Map<string, SpecParameter>();
  for (const p of [...pathLevel, ...opLevel]) byKey.set(`${p.in}:${p.name}`, p);
  return [...byKey.values()];
}

function compile(template: string, parameters: SpecParameter[]): RouteTemplate {
  const params: RouteTemplate['params'] = [];
  let literalSegments = 0;
  const pattern = template.split('/').map((segment) => {
    const m = /^\{([^}]+)\}$/.exec(segment);
    if (!m) {
      if (segment) literalSegments++;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    const name = m[1]!;
    const spec = parameters.find((p) => p.in === 'path' && p.name === name);
    const multi = spec?.['x-ms-skip-url-encoding'] === true || ALWAYS_MULTI.has(name);
    params.push({ name, multi });
    return multi ? '(.*?)' : '([^/]+)';
  }).join('/');
  return { template, regex: new RegExp(`^${pattern}$`, 'i'), params, literalSegments, versions: new Map() };
}

function matchRoute(route: RouteTemplate, rawPath: string): Record<string, string> | undefined {
  const m = route.regex.exec(rawPath);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (const [i, p] of route.params.entries()) {
    let value: string;
    try { value = decodeURIComponent(m[i + 1] ?? ''); } catch { return undefined; }
    if (!value && !MAY_BE_EMPTY.has(p.name)) return undefined;
    const shape = ID_SHAPES[p.name];
    if (shape && !shape.test(value)) return undefined;
    out[p.name] = value;
  }
  return out;
}
