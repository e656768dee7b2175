/**
 * An honest, small reader of Bicep declarations: top-level param, resource, module and output
 * lines (plus @secure/@allowed decorators). It does not evaluate Bicep; it is enough to compare
 * main.bicep and its modules with azuredeploy.json.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface BicepParam {
  type: string;
  hasDefault: boolean;
  allowed?: string[];
}

export interface BicepModule {
  symbol: string;
  path: string;
  /** The deployment name with ${...} reduced to "*". */
  name: string;
}

export interface BicepFile {
  targetScope: string;
  params: Map<string, BicepParam>;
  resources: Array<{ symbol: string; type: string; apiVersion: string }>;
  modules: BicepModule[];
  outputs: Map<string, string>;
  text: string;
}

export function parseBicep(text: string): BicepFile {
  const lines = text.split(/\r?\n/);
  const file: BicepFile = { targetScope: 'resourceGroup', params: new Map(), resources: [], modules: [], outputs: new Map(), text };
  let secure = false;
  let allowed: string[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*\/\//.test(line)) continue;
    let m: RegExpExecArray | null;
    if ((m = /^targetScope\s*=\s*'(\w+)'/.exec(line))) file.targetScope = m[1]!;
    else if (/^@secure\(\)/.test(line)) secure = true;
    else if (/^@allowed\(\[/.test(line)) {
      allowed = [];
      for (i++; i < lines.length && !/^\s*\]\)/.test(lines[i]!); i++) {
        const v = /^\s*(?:'((?:[^'\\]|\\.)*)'|(-?\d+|true|false))\s*$/.exec(lines[i]!);
        if (v) allowed.push(v[1] !== undefined ? v[1].replace(/\\'/g, "'") : v[2]!);
      }
    } else if ((m = /^param\s+(\w+)\s+(\w+)(\s*=)?/.exec(line))) {
      const type = secure && m[2] === 'string' ? 'securestring' : secure && m[2] === 'object' ? 'secureobject' : m[2]!;
      file.params.set(m[1]!, { type, hasDefault: !!m[3], ...(allowed ? { allowed } : {}) });
      secure = false;
      allowed = undefined;
    } else if ((m = /^resource\s+(\w+)\s+'([^'@]+)@([^']+)'\s+(existing\s+)?=/.exec(line))) {
      if (!m[4]) file.resources.push({ symbol: m[1]!, type: m[2]!, apiVersion: m[3]! });
    } else if ((m = /^module\s+(\w+)\s+'([^']+)'\s*=/.exec(line))) {
      const nameLine = lines.slice(i + 1).find((l) => /^\s{2}name:\s*'/.test(l)) ?? '';
      const name = (/name:\s*'(.*)'/.exec(nameLine)?.[1] ?? '').replace(/\$\{[^}]*\}/g, '*');
      file.modules.push({ symbol: m[1]!, path: m[2]!, name });
    } else if ((m = /^output\s+(\w+)\s+(\w+)/.exec(line))) file.outputs.set(m[1]!, m[2]!);
  }
  return file;
}

export function readBicep(path: string): BicepFile {
  return parseBicep(readFileSync(path, 'utf8'));
}

/** main.bicep and the module files it names, keyed by deployment name. */
export function readBicepTree(mainPath: string): { main: BicepFile; modules: Map<string, BicepFile & { path: string }> } {
  const main = readBicep(mainPath);
  const modules = new Map<string, BicepFile & { path: string }>();
  for (const m of main.modules) modules.set(m.name, { ...readBicep(join(dirname(mainPath), m.path)), path: m.path });
  return { main, modules };
}

/** The keys of an object literal `<opener> {` ... `}` in Bicep text (one level deep). */
export function objectKeys(text: string, opener: RegExp): string[] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => opener.test(l));
  if (start < 0) return [];
  const indent = /^\s*/.exec(lines[start]!)![0].length;
  const keys: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i]!;
    const own = /^\s*/.exec(l)![0].length;
    if (own <= indent && /^\s*\}/.test(l)) break;
    const m = /^\s*'?([\w$-]+)'?\s*:/.exec(l);
    if (m && own === indent + 2) keys.push(m[1]!);
  }
  return keys;
}
