import type { TableClient } from '@azure/data-tables';
import { isJoinable } from '../requests/burst.js';
import type { ExemptionRequest } from '../requests/model.js';
import type { BurstWindows, KeyClaim } from '../requests/ports/burst-windows.js';
import { BURST_WINDOW_ROW, OpenKeys, type OpenKeyTiming } from './open-keys.js';

/**
 * Burst windows and resource keys in the open-keys table, beside the keys TableRequestStore takes: a
 * resource's key is the very row a single-resource request for it claims, so either way round the
 * second is a duplicate of the first. A window is held while its request is joinable.
 */
export class TableBurstWindows implements BurstWindows {
  private readonly windows: OpenKeys;
  private readonly resources: OpenKeys;

  constructor(openKeys: TableClient, readRequest: (id: string) => Promise<ExemptionRequest | undefined>, timing?: OpenKeyTiming) {
    this.windows = new OpenKeys(openKeys, readRequest, timing, { rowKey: BURST_WINDOW_ROW, holds: isJoinable });
    this.resources = new OpenKeys(openKeys, readRequest, timing);
  }

  claimWindow(burstKey: string, requestId: string): Promise<KeyClaim> {
    return this.windows.claim(burstKey, requestId);
  }

  releaseWindow(burstKey: string, requestId: string): Promise<void> {
    return this.windows.release(burstKey, requestId);
  }

  claimResource(dedupeKey: string, requestId: string): Promise<KeyClaim> {
    return this.resources.claim(dedupeKey, requestId);
  }

  releaseResource(dedupeKey: string, requestId: string): Promise<void> {
    return this.resources.release(dedupeKey, requestId);
  }
}
