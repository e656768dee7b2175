/**
 * Offline checks of an ARM template (azuredeploy.json): structure, references, dependsOn.
 * Each check returns a list of problems instead of throwing, so tests can assert both the
 * clean template and deliberately broken copies.
 */
import {
  calls, isExpression, literalArg, nameSegments, parseExpression, print, resourceTarget,
  type Expr,
} from './arm-expr.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Template extends JsonObject {
  $schema: string;
  contentVersion: string;
  parameters: { [name: string]: JsonObject };
  resources: JsonObject[];
}

/** One evaluation scope: the root template or an inner-scoped nested deployment's template. */
export interface Scope {
  path: string;
  template: Template;
  /** The deployment resource (in the parent scope) that holds this template. */
  deployment?: JsonObject;
}

const DEPLOYMENTS = 'microsoft.resources/deployments';

export function asObject(v: Json | undefined): JsonObject | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

export function isDeployment(r: JsonObject): boolean {
  return String(r['type']).toLowerCase() === DEPLOYMENTS;
}

/** A deployment's name with format() slots reduced to "*" (matches Bicep's ${} names). */
export function deploymentKey(r: JsonObject): string {
  const name = String(r['name']);
  if (!isExpression(name)) return name;
  const e = parseExpression(name);
  if (e.kind === 'call' && e.name === 'format' && e.args[0]?.kind === 'str') return e.args[0].value.replace(/\{\d+\}/g, '*');
  return print(e);
}

export function nestedTemplate(r: JsonObject): Template | undefined {
  return asObject(asObject(r['properties'])?.['template']) as Template | undefined;
}

export function scopes(root: Template): Scope[] {
  const out: Scope[] = [{ path: '', template: root }];
  const visit = (scope: Scope): void => {
    for (const r of scope.template.resources ?? []) {
      const inner = nestedTemplate(r);
      if (!isDeployment(r) || !inner) continue;
      const child = { path: `${scope.path}/${deploymentKey(r)}`, template: inner, deployment: r };
      out.push(child);
      visit(child);
    }
  };
  visit(out[0]!);
  return out;
}

/** Every expression string (values and property names) evaluated in this scope. */
export function expressionsIn(scope: Scope): Array<{ at: string; expr: Expr }> {
  const found: Array<{ at: string; expr: Expr }> = [];
  const visit = (v: Json | undefined, at: string, isNestedTemplate: boolean): void => {
    if (isNestedTemplate) return;
    if (typeof v === 'string') {
      if (isExpression(v)) found.push({ at, expr: parseExpression(v) });
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${at}/${i}`, false));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (isExpression(k)) found.push({ at: `${at}/${k}`, expr: parseExpression(k) });
        // A nested template is its own scope; its parameters' values stay in ours.
        visit(x, `${at}/${k}`, k === 'template' && at.endsWith('/properties') && !!asObject(x)?.['resources']);
      }
    }
  };
  const { template } = scope;
  for (const key of ['parameters', 'variables', 'resources', 'outputs'] as const) visit(template[key], `${scope.path}#${key}`, false);
  return found;
}

export function checkSchema(root: Template): string[] {
  const problems: string[] = [];
  for (const { path, template } of scopes(root)) {
    const where = path || 'root';
    if (!/^https:\/\/schema\.management\.azure\.com\/schemas\/[\d-]+\/\w*[dD]eploymentTemplate\.json#$/.test(String(template.$schema)))
      problems.push(`${where}: $schema is not an ARM deployment template schema`);
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(String(template.contentVersion))) problems.push(`${where}: contentVersion missing or malformed`);
    if (!Array.isArray(template.resources)) problems.push(`${where}: resources is not an array`);
  }
  if (!/subscriptionDeploymentTemplate/.test(root.$schema)) problems.push('root: expected a subscription-scope schema');
  return problems;
}

/** parameters('x') and variables('y') resolve; nested deployments get exactly their parameters. */
export function checkReferences(root: Template): string[] {
  const problems: string[] = [];
  for (const scope of scopes(root)) {
    const params = scope.template.parameters ?? {};
    const vars = asObject(scope.template['variables']) ?? {};
    for (const { at, expr } of expressionsIn(scope)) {
      for (const c of calls(expr, 'parameters')) {
        const name = literalArg(c);
        if (name === undefined || !(name in params)) problems.push(`${at}: parameters('${name}') is not declared`);
      }
      for (const c of calls(expr, 'variables')) {
        const name = literalArg(c);
        if (name === undefined || !(name in vars)) problems.push(`${at}: variables('${name}') is not declared`);
      }
    }
    if (scope.deployment) {
      const given = asObject(asObject(scope.deployment['properties'])?.['parameters']) ?? {};
      for (const name of Object.keys(given))
        if (!(name in params)) problems.push(`${scope.path}: passes parameter ${name} that the nested template does not declare`);
      for (const [name, spec] of Object.entries(params))
        if (!('defaultValue' in spec) && !(name in given)) problems.push(`${scope.path}: required parameter ${name} is not passed`);
    }
  }
  return problems;
}

interface Declared {
  type: string;
  segments: string[];
  resource: JsonObject;
}

function declared(scope: Scope): Declared[] {
  return (scope.template.resources ?? []).map((r) => ({
    type: String(r['type']).toLowerCase(),
    segments: nameSegments(String(r['name'])),
    resource: r,
  }));
}

function findDeclared(list: Declared[], type: string, segments: string[]): Declared | undefined {
  const t = type.toLowerCase();
  const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);
  return (
    list.find((d) => d.type === t && same(d.segments, segments)) ??
    // A child the template does not declare itself (a Logic App trigger) of a declared parent.
    list.find((d) => t.startsWith(`${d.type}/`) && same(d.segments, segments.slice(0, d.segments.length)))
  );
}

/**
 * dependsOn entries and reference()/list*() targets name resources declared in the same scope.
 * `existingTypes`: types a later stage reads from an earlier one (Bicep's `existing`), which an
 * ARM JSON template does not declare.
 */
export function checkTargets(root: Template, existingTypes: readonly string[] = []): string[] {
  const problems: string[] = [];
  for (const scope of scopes(root)) {
    const decl = declared(scope);
    for (const d of decl) {
      const deps = d.resource['dependsOn'];
      for (const dep of Array.isArray(deps) ? deps : []) {
        const text = String(dep);
        const target = isExpression(text) ? resourceTarget(parseExpression(text)) : undefined;
        if (!target || !findDeclared(decl, target.type, target.segments))
          problems.push(`${scope.path || 'root'}: dependsOn ${text} is not declared in the template`);
      }
    }
    for (const { at, expr } of expressionsIn(scope)) {
      const targets = [...calls(expr, 'reference'), ...calls(expr, 'listKeys'), ...calls(expr, 'listCallbackUrl')];
      for (const c of targets) {
        const target = c.args[0] && resourceTarget(c.args[0]);
        if (!target) continue;
        const hit = findDeclared(decl, target.type, target.segments);
        if (!hit && existingTypes.some((t) => t.toLowerCase() === target.type.toLowerCase())) continue;
        if (!hit) {
          problems.push(`${at}: ${c.name}() target ${target.type} ${target.segments.join('/')} is not declared`);
          continue;
        }
        problems.push(...checkOutputUse(expr, c, hit, at));
      }
    }
  }
  return problems;
}

/** reference(<deployment>).outputs.X.value must name an output the nested template declares. */
function checkOutputUse(whole: Expr, call: Expr, hit: Declared, at: string): string[] {
  if (hit.type !== DEPLOYMENTS) return [];
  const outputs = asObject(nestedTemplate(hit.resource)?.['outputs']) ?? {};
  const problems: string[] = [];
  const visit = (e: Expr): void => {
    if (e.kind === 'prop' && e.target.kind === 'prop' && e.target.name === 'outputs' && e.target.target === call) {
      if (!(e.name in outputs)) problems.push(`${at}: output ${e.name} is not declared by deployment ${String(hit.resource['name'])}`);
    }
    if (e.kind === 'call') e.args.forEach(visit);
    else if (e.kind === 'prop') visit(e.target);
    else if (e.kind === 'index') {
      visit(e.target);
      visit(e.index);
    }
  };
  visit(whole);
  return problems;
}

/** Every resource of the given type across all scopes, with the scope that declares it. */
export function resourcesOfType(root: Template, type: string): Array<{ scope: Scope; resource: JsonObject }> {
  const t = type.toLowerCase();
  return scopes(root).flatMap((scope) =>
    (scope.template.resources ?? []).filter((r) => String(r['type']).toLowerCase() === t).map((resource) => ({ scope, resource })),
  );
}

/**
 * The nested deployment called `name` in the root template. Module deployments carry the
 * environment's token as a suffix ("storage-{token}", key "storage-*"); `name` may omit it.
 */
export function moduleDeployment(root: Template, name: string): JsonObject {
  const found = root.resources.find((r) => isDeployment(r) && (deploymentKey(r) === name || deploymentKey(r) === `${name}-*`));
  if (!found) throw new Error(`no nested deployment ${name}`);
  return found;
}

/** The value expression a root-level nested deployment passes for one parameter. */
export function moduleParam(root: Template, module: string, param: string): string | undefined {
  const given = asObject(asObject(moduleDeployment(root, module)['properties'])?.['parameters']);
  const v = asObject(given?.[param])?.['value'];
  return typeof v === 'string' ? v : v === undefined ? undefined : JSON.stringify(v);
}
