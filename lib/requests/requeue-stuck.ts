import { ConcurrencyError } from './ports/store.js';
import { annotate } from './lifecycle.js';
import type { RequestState } from './model.js';
import type { RequestPorts } from './ports.js';

/** States that only move on when an apply message is delivered: a lost message leaves them there. */
const WAITING_FOR_APPLY: readonly RequestState[] = ['approved', 'applying'];
/** A run handles at most this many; the rest are still idle, so the next run finds them. */
const MAX_PER_RUN = 100;

export interface RequeueReport {
  readonly requeued: readonly string[];
  /** Requests that changed between the query and our write: they were not stuck after all. */
  readonly moved: readonly string[];
}

/**
 * Approval and apply are two writes (the decision, then the apply message); when the second fails the
 * request would wait for ever. This finds requests waiting for apply with no change for
 * `stuckAfterMinutes` and sends their apply message again. The audit entry is written first, guarded by
 * the ETag, and it refreshes `updatedAt`: so of two overlapping runs only one requeues a request, and a
 * request is requeued at most once per stuck period. If the send then fails, the request is found again
 * one period later. A duplicate message is harmless: apply is idempotent.
 */
export async function requeueStuck(
  ports: Pick<RequestPorts, 'clock' | 'store' | 'applyQueue'>,
  settings: { readonly stuckAfterMinutes: number },
): Promise<RequeueReport> {
  const now = ports.clock.now();
  const idleSince = new Date(now.getTime() - settings.stuckAfterMinutes * 60_000).toISOString();
  const requeued: string[] = [];
  const moved: string[] = [];
  for (const stored of await ports.store.listIdle(WAITING_FOR_APPLY, idleSince, MAX_PER_RUN)) {
    const request = stored.value;
    const noted = annotate(request, {
      actor: 'system', channel: 'requeue-timer', at: now, action: 'requeued',
      detail: `${request.state} with no change since ${request.updatedAt}; apply message sent again`,
    });
    try {
      await ports.store.update(noted.request, stored.etag, [noted.audit]);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      moved.push(request.id);
      continue;
    }
    await ports.applyQueue.send({ kind: 'apply', requestId: request.id });
    requeued.push(request.id);
  }
  return { requeued, moved };
}
