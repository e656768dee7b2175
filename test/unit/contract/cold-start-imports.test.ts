import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Module specifiers a file loads when it is imported: `import type` and `export type` are erased. */
export function valueImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specifiers: string[] = [];
  for (const m of code.matchAll(/^\s*(import|export)\s+(?!type\b)([^;'"]*?\bfrom\s+)?'([^']+)'/gm)) {
    if (m[1] === 'export' && !m[2]) continue;
    specifiers.push(m[3]!);
  }
  return specifiers;
}

/**
 * Every package a cold start loads: on Flex Consumption the host imports every function module, so
 * whatever they import at the top, transitively, is paid on each cold start by every invocation.
 */
function packagesLoadedAtStart(): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of valueImports(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!specifier.startsWith('node:') && !packages.has(specifier)) packages.set(specifier, relative(root, file));
    }
  };
  for (const name of readdirSync(join(root, 'functions'))) visit(join(root, 'functions', name));
  return packages;
}

describe('a cold start pays only for what it uses', () => {
  it('the function modules load no package but @azure/functions until a trigger needs one', () => {
    // SDK clients, zod, mail and storage load on the paths that use them (see lib/composition-root.ts
    // and lib/core/lazy-zod.ts); `npm run bench:cold` measures what that saves.
    expect(Object.fromEntries(packagesLoadedAtStart())).toEqual({ '@azure/functions': 'lib/host/function-registry.ts' });
  });

  it('the scan sees value imports and skips type-only ones', () => {
    const source = [
      "import type { X } from 'types-only';",
      "import { z } from 'zod';",
      "import {\n  a,\n  b,\n} from './multi-line.js';",
      "export { c } from './re-export.js';",
      "export type { D } from './type-re-export.js';",
      "// import { commented } from 'nope';",
      "import 'side-effect';",
    ].join('\n');
    expect(valueImports(source)).toEqual(['zod', './multi-line.js', './re-export.js', 'side-effect']);
  });
});
