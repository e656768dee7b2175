import { isRestError } from '@azure/core-rest-pipeline';
import type { TableClient } from '@azure/data-tables';
import { holdsOpenKey } from '../requests/burst.js';
import type { ExemptionRequest } from '../requests/model.js';

/** Row keys in the open-keys table: a resource's (or a request's) open key, and a burst's window. */
export const OPEN_KEY_ROW = 'open';
export const BURST_WINDOW_ROW = 'burst';
/** A claim that keeps losing to other takeovers is a fault, not something to retry for ever. */
const MAX_CLAIM_ROUNDS = 20;

export interface OpenKeyTiming {
  /**
   * How long a contender waits for the key holder's request row to appear before it calls the key stale.
   * The holder writes that row right after the key (two storage calls), so this only elapses when the
   * holder died in between; it must be far longer than any live holder's pause.
   */
  readonly staleAfterMs: number;
  readonly pollMs: number;
}

export const DEFAULT_OPEN_KEY_TIMING: OpenKeyTiming = { staleAfterMs: 15_000, pollMs: 50 };

export type Claim = { readonly kind: 'claimed' } | { readonly kind: 'held'; readonly request: ExemptionRequest };

export interface KeyKind {
  readonly rowKey: string;
  /** Whether the key row's request still holds `key`; otherwise the row may be taken over. */
  readonly holds: (request: ExemptionRequest, key: string) => boolean;
}

/** "One open request per dedupe key": open states hold their keys (see holdsOpenKey for bursts). */
export const OPEN_KEY: KeyKind = { rowKey: OPEN_KEY_ROW, holds: holdsOpenKey };

interface KeyRow {
  readonly requestId: string;
  readonly etag: string;
}

/**
 * "One open request per dedupe key": a row in the open-keys table names the request that holds the key.
 * Creating the row is the claim. A row that already exists belongs to its request unless that request
 * is provably gone: closed (the holder crashed before releasing the key), or never written within
 * `staleAfterMs` (the holder crashed between the key and the request). Only then is the row taken over,
 * with If-Match on the ETag we judged, so of several contenders exactly one takes it and the others
 * see the new holder. While the holder's row is merely late, contenders wait for it instead of
 * guessing — guessing is what let two identical intakes both create a request. A burst's window row
 * (BURST_WINDOW_ROW) works the same way, with its own rule for what still holds it.
 */
export class OpenKeys {
  constructor(
    private readonly table: TableClient,
    private readonly readRequest: (id: string) => Promise<ExemptionRequest | undefined>,
    private readonly timing: OpenKeyTiming = DEFAULT_OPEN_KEY_TIMING,
    private readonly kind: KeyKind = OPEN_KEY,
  ) {}

  async claim(dedupeKey: string, requestId: string): Promise<Claim> {
    const row = { partitionKey: dedupeKey, rowKey: this.kind.rowKey, requestId };
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
      try {
        await this.table.createEntity(row);
        return { kind: 'claimed' };
      } catch (error) {
        if (!isStatus(error, 409)) throw error;
      }
      const holder = await this.holder(dedupeKey);
      if (!holder) continue; // released since our attempt: try again
      if (holder.requestId === requestId) return { kind: 'claimed' };
      const request = await this.waitForRequest(holder.requestId);
      if (request && this.kind.holds(request, dedupeKey)) return { kind: 'held', request };
      try {
        await this.table.updateEntity(row, 'Replace', { etag: holder.etag });
        return { kind: 'claimed' };
      } catch (error) {
        // 412: another contender took it first; 404: it was released. Either way, look again.
        if (!isStatus(error, 412) && !isStatus(error, 404)) throw error;
      }
    }
    throw new Error(`could not settle who holds dedupe key ${dedupeKey}`);
  }

  /** Whether the key still names `requestId`: a holder checks this after writing its request. */
  async isHeldBy(dedupeKey: string, requestId: string): Promise<boolean> {
    return (await this.holder(dedupeKey))?.requestId === requestId;
  }

  /** Drops the key if `requestId` still holds it; a key already taken over or gone is left alone. */
  async release(dedupeKey: string, requestId: string): Promise<void> {
    const holder = await this.holder(dedupeKey);
    if (holder?.requestId !== requestId) return;
    try {
      await this.table.deleteEntity(dedupeKey, this.kind.rowKey, { etag: holder.etag });
    } catch (error) {
      if (!isStatus(error, 404) && !isStatus(error, 412)) throw error;
    }
  }

  private async holder(dedupeKey: string): Promise<KeyRow | undefined> {
    try {
      const row = await this.table.getEntity<{ requestId: string }>(dedupeKey, this.kind.rowKey);
      return { requestId: row.requestId, etag: row.etag };
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /** The holder's request, waiting up to `staleAfterMs` for a holder that is between its two writes. */
  private async waitForRequest(id: string): Promise<ExemptionRequest | undefined> {
    const deadline = Date.now() + this.timing.staleAfterMs;
    for (;;) {
      const request = await this.readRequest(id);
      if (request || Date.now() >= deadline) return request;
      await new Promise((resolve) => setTimeout(resolve, this.timing.pollMs));
    }
  }
}

export function isStatus(error: unknown, status: number): boolean {
  return isRestError(error) && error.statusCode === status;
}
