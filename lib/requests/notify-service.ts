import { sealForNotify } from './burst.js';
import { distinctIdentities, excludingIdentity } from './identity.js';
import { annotate, transition } from './lifecycle.js';
import { REQUEST_LIMITS } from './request-size.js';
import type { ExemptionRequest } from './model.js';
import type { RequestPorts } from './ports.js';
import { ConcurrencyError, type Versioned } from './ports/store.js';

export interface NotifySettings {
  readonly fallbackApprovers: readonly string[];
}

/**
 * Asks every approver to review. Approvers are stored before anyone is told, so a quick click finds
 * them; a notifier failure throws and the queue delivers the message again. The requester is left out
 * under any spelling of their address. A burst request is held back until its window closes, then
 * sealed before anyone is told (burst.ts).
 */
export async function notifyApprovers(
  ports: Pick<RequestPorts, 'clock' | 'store' | 'arm' | 'notifier' | 'notifyQueue'>,
  settings: NotifySettings,
  requestId: string,
): Promise<'notified' | 'skipped' | 'no-approvers' | 'deferred'> {
  const found = await ports.store.get(requestId);
  if (!found || found.value.state !== 'received') return 'skipped';
  let stored = await sealForNotify(ports, found);
  if (!stored) return 'deferred';
  if (stored.value.state !== 'received') return 'skipped';
  const request = stored.value;
  const contacts = await ports.arm.listSecurityContactEmails(request.subscriptionId);
  const candidates = [...contacts, ...settings.fallbackApprovers].map((a) => a.trim().toLowerCase());
  const everyone = excludingIdentity(distinctIdentities(candidates), request.requestedBy);
  // A stored request holds a bounded list (see request-size.ts); beyond it, the first ones are asked.
  const approvers = everyone.slice(0, REQUEST_LIMITS.approvers);
  if (approvers.length === 0) {
    const noted = annotate(request, {
      actor: 'system', channel: 'notify-worker', at: ports.clock.now(), action: 'no-approvers',
      detail: 'the subscription has no security contacts and no fallback approvers are configured (the requester cannot approve)',
    });
    await ports.store.update(noted.request, stored.etag, [noted.audit]);
    return 'no-approvers';
  }
  if (request.approvers.join(';') !== approvers.join(';')) {
    const noted = annotate(request, {
      actor: 'system', channel: 'notify-worker', at: ports.clock.now(), action: 'approvers-resolved',
      detail: `${approvers.join(', ')}${everyone.length > approvers.length ? ` (${everyone.length - approvers.length} more contacts not asked: at most ${REQUEST_LIMITS.approvers})` : ''}`,
      changes: { approvers },
    });
    stored = await ports.store.update(noted.request, stored.etag, [noted.audit]);
  }
  await ports.notifier.reviewRequested(stored.value, approvers);
  await recordNotified(ports, stored, `asked ${approvers.join(', ')}`);
  return 'notified';
}

/**
 * An approver may decide before this worker records the emails (the link works at once). Then the state
 * has moved on; the emails are still recorded, as an audit entry without a state change.
 */
async function recordNotified(
  ports: Pick<RequestPorts, 'clock' | 'store'>,
  stored: Versioned<ExemptionRequest>,
  detail: string,
): Promise<void> {
  let current = stored;
  for (;;) {
    const change = current.value.state === 'received'
      ? transition(current.value, { to: 'notified', actor: 'system', channel: 'notify-worker', at: ports.clock.now(), detail })
      : annotate(current.value, { actor: 'system', channel: 'notify-worker', at: ports.clock.now(), action: 'notified', detail });
    try {
      await ports.store.update(change.request, current.etag, [change.audit]);
      return;
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      const reloaded = await ports.store.get(current.value.id);
      if (!reloaded) return;
      current = reloaded;
    }
  }
}
