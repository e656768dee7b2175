import { createRequire } from 'node:module';
import type { z as Zod } from 'zod';

let loaded: typeof Zod | undefined;

/**
 * zod, loaded on the first validation rather than at import. On Flex Consumption a cold start imports
 * every function module, and zod alone costs about 70 ms to load; most invocations (a queue message, a
 * page view) validate little or nothing. `require` keeps the first use synchronous.
 */
export function zod(): typeof Zod {
  loaded ??= (createRequire(import.meta.url)('zod') as { z: typeof Zod }).z;
  return loaded;
}

/** A value built on first use: schemas are made once, when first needed. */
export function lazily<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}
