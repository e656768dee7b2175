/**
 * The declared shape of a deployment (parameters, outputs, resource types + api-versions, and
 * the same per module), read from Bicep or from ARM JSON, and the differences between two.
 */
import { readBicepTree, type BicepFile } from './bicep-decls.js';
import { deploymentKey, isDeployment, nestedTemplate, scopes, type Template } from './arm-template.js';

export interface ParamShape {
  type: string;
  hasDefault: boolean;
  allowed?: string[];
}

export interface TemplateShape {
  params: Record<string, ParamShape>;
  outputs: Record<string, string>;
  types: string[];
}

export interface DeploymentShape extends TemplateShape {
  /** Every resource type@api-version in the template and all its modules. */
  allTypes: string[];
  modules: Record<string, TemplateShape>;
}

const typeKey = (type: string, api: string): string => `${type.toLowerCase()}@${api}`;
const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

function armTemplateShape(t: Template): TemplateShape {
  const params: Record<string, ParamShape> = {};
  for (const [name, spec] of Object.entries(t.parameters ?? {})) {
    const allowed = Array.isArray(spec['allowedValues']) ? spec['allowedValues'].map(String) : undefined;
    params[name] = { type: String(spec['type']).toLowerCase(), hasDefault: 'defaultValue' in spec, ...(allowed ? { allowed } : {}) };
  }
  const outputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries((t['outputs'] ?? {}) as Record<string, { type: string }>)) outputs[name] = spec.type.toLowerCase();
  const types = sorted(t.resources.filter((r) => !isDeployment(r)).map((r) => typeKey(String(r['type']), String(r['apiVersion']))));
  return { params, outputs, types };
}

export function armShape(root: Template): DeploymentShape {
  const modules: Record<string, TemplateShape> = {};
  for (const r of root.resources) {
    const inner = nestedTemplate(r);
    if (isDeployment(r) && inner) modules[deploymentKey(r)] = armTemplateShape(inner);
  }
  const allTypes = sorted(scopes(root).flatMap((s) => armTemplateShape(s.template).types));
  return { ...armTemplateShape(root), allTypes, modules };
}

function bicepTemplateShape(f: BicepFile): TemplateShape {
  const params: Record<string, ParamShape> = {};
  for (const [name, p] of f.params) params[name] = { type: p.type.toLowerCase(), hasDefault: p.hasDefault, ...(p.allowed ? { allowed: p.allowed } : {}) };
  return {
    params,
    outputs: Object.fromEntries([...f.outputs].map(([k, v]) => [k, v.toLowerCase()])),
    types: sorted(f.resources.map((r) => typeKey(r.type, r.apiVersion))),
  };
}

export function bicepShape(mainPath: string): DeploymentShape {
  const { main, modules } = readBicepTree(mainPath);
  const shapes: Record<string, TemplateShape> = {};
  for (const [name, file] of modules) shapes[name] = bicepTemplateShape(file);
  const allTypes = sorted([bicepTemplateShape(main), ...Object.values(shapes)].flatMap((s) => s.types));
  return { ...bicepTemplateShape(main), allTypes, modules: shapes };
}

function diffTemplate(where: string, a: TemplateShape, b: TemplateShape, an: string, bn: string): string[] {
  const problems: string[] = [];
  for (const name of sorted([...Object.keys(a.params), ...Object.keys(b.params)])) {
    const pa = a.params[name];
    const pb = b.params[name];
    if (!pa || !pb) {
      problems.push(`${where}parameter ${name}: only in ${pa ? an : bn}`);
      continue;
    }
    if (pa.type !== pb.type) problems.push(`${where}parameter ${name}: type ${pa.type} in ${an}, ${pb.type} in ${bn}`);
    if (pa.hasDefault !== pb.hasDefault) problems.push(`${where}parameter ${name}: default in ${pa.hasDefault ? an : bn} only`);
    if (JSON.stringify(pa.allowed ?? null) !== JSON.stringify(pb.allowed ?? null)) problems.push(`${where}parameter ${name}: allowed values differ`);
  }
  for (const name of sorted([...Object.keys(a.outputs), ...Object.keys(b.outputs)])) {
    if (a.outputs[name] !== b.outputs[name]) problems.push(`${where}output ${name}: ${a.outputs[name] ?? 'absent'} in ${an}, ${b.outputs[name] ?? 'absent'} in ${bn}`);
  }
  for (const t of a.types) if (!b.types.includes(t)) problems.push(`${where}resource ${t}: only in ${an}`);
  for (const t of b.types) if (!a.types.includes(t)) problems.push(`${where}resource ${t}: only in ${bn}`);
  return problems;
}

/** Differences between two deployment shapes; empty when they declare the same things. */
export function diffShapes(a: DeploymentShape, b: DeploymentShape, an = 'main.bicep', bn = 'azuredeploy.json'): string[] {
  const problems = diffTemplate('', a, b, an, bn);
  for (const t of a.allTypes) if (!b.allTypes.includes(t)) problems.push(`resource type ${t}: only in ${an} (with modules)`);
  for (const t of b.allTypes) if (!a.allTypes.includes(t)) problems.push(`resource type ${t}: only in ${bn} (with nested templates)`);
  for (const name of sorted([...Object.keys(a.modules), ...Object.keys(b.modules)])) {
    const ma = a.modules[name];
    const mb = b.modules[name];
    if (!ma || !mb) problems.push(`module ${name}: only in ${ma ? an : bn}`);
    else problems.push(...diffTemplate(`module ${name}: `, ma, mb, an, bn));
  }
  return problems;
}
