// Per-route fault injection. A fault matches on operationId / method / path substring, hits `times`
// requests, then is used up.
import type { FaultSpec } from './types.js';

export interface FaultTarget {
  operationId: string | undefined;
  method: string;
  path: string;
}

export class FaultRegistry {
  private faults: Array<FaultSpec & { left: number }> = [];

  add(f: FaultSpec): void {
    if (!Number.isInteger(f.times) || f.times < 1) throw new Error('FaultSpec.times must be a positive integer');
    this.faults.push({ ...f, left: f.times });
  }

  clear(): void {
    this.faults = [];
  }

  /** The first live fault matching the request, counted down; undefined when none applies. */
  take(t: FaultTarget): FaultSpec | undefined {
    const f = this.faults.find((x) => x.left > 0
      && (x.operationId === undefined || x.operationId.toLowerCase() === t.operationId?.toLowerCase())
      && (x.method === undefined || x.method.toUpperCase() === t.method.toUpperCase())
      && (x.pathIncludes === undefined || t.path.toLowerCase().includes(x.pathIncludes.toLowerCase())));
    if (!f) return undefined;
    f.left--;
    if (f.left === 0) this.faults = this.faults.filter((x) => x !== f);
    return f;
  }
}
