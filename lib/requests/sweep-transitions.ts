import { canTransition, transition } from './lifecycle.js';
import type { ExemptionRequest, RequestState } from './model.js';
import type { RequestPorts } from './ports.js';
import { ConcurrencyError } from './ports/store.js';

const ATTEMPTS = 5;

/**
 * Moves a request on because of what the sweep saw in Azure (expiring, expired, deleted). `target`
 * picks the state from the request as it is now, or says no move applies. A write that loses an ETag
 * race is re-read and tried again, so a decision or renewal landing meanwhile is never overwritten.
 * Returns the request as stored after the move, or undefined when it did not move.
 */
export async function moveBySweep(
  ports: Pick<RequestPorts, 'clock' | 'store'>,
  requestId: string,
  target: (request: ExemptionRequest) => RequestState | undefined,
  detail: string,
): Promise<ExemptionRequest | undefined> {
  for (let attempt = 1; ; attempt++) {
    const stored = await ports.store.get(requestId);
    const to = stored ? target(stored.value) : undefined;
    if (!stored || !to || !canTransition(stored.value.state, to)) return undefined;
    const moved = transition(stored.value, { to, actor: 'system', channel: 'sweep', at: ports.clock.now(), detail });
    try {
      return (await ports.store.update(moved.request, stored.etag, [moved.audit])).value;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw error;
    }
  }
}
