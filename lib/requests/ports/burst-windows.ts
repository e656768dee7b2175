import type { ExemptionRequest } from '../model.js';

/** Who holds a key: we do now, or a live request does (and is named). */
export type KeyClaim = { readonly kind: 'claimed' } | { readonly kind: 'held'; readonly request: ExemptionRequest };

/**
 * The two kinds of key a burst takes, each an insert-if-absent row with ETag-guarded takeover, so that
 * concurrent function instances agree without any lock of their own:
 * - the burst's window: which request events of that burst join now;
 * - a resource's open key (the same key a single-resource request takes): which open request holds it.
 * A key whose request is gone, closed, or (for a window) no longer joinable, is taken over.
 */
export interface BurstWindows {
  claimWindow(burstKey: string, requestId: string): Promise<KeyClaim>;
  /** Drops the window if `requestId` still holds it. */
  releaseWindow(burstKey: string, requestId: string): Promise<void>;
  claimResource(dedupeKey: string, requestId: string): Promise<KeyClaim>;
  /** Drops the resource's key if it still names `requestId`. */
  releaseResource(dedupeKey: string, requestId: string): Promise<void>;
}
