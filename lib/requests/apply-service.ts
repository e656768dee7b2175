import { exemptionName } from '../azure/policy-exemption.js';
import { standardAssignmentName } from '../azure/standard-assignment.js';
import { exemptionProperties, standardExemptionBody } from './exemption-properties.js';
import { annotate, canTransition, transition } from './lifecycle.js';
import type { CreatedExemption, ExemptionRequest } from './model.js';
import { tell, type RequestPorts } from './ports.js';
import { ArmError } from './ports/arm-error.js';
import { ConcurrencyError } from './ports/store.js';
import { REQUEST_LIMITS } from './request-size.js';
import { checkWrites } from './write-guard.js';

export interface Delivery {
  readonly dequeueCount: number;
  readonly maxDequeueCount: number;
}

export type ApplyOutcome = 'applied' | 'failed' | 'skipped';

/**
 * Creates one policy exemption per resolved assignment and one `Exempt` standard assignment per resolved
 * standard. Names are deterministic and PUT is create-or-update,
 * so a redelivered message creates nothing twice. Transient ARM errors are thrown for the queue to
 * redeliver (the pipeline already honoured Retry-After); permanent ones, or a transient one on the last
 * delivery, end the request in `failed` with the ARM error kept.
 */
export async function applyExemptions(
  ports: Pick<RequestPorts, 'clock' | 'store' | 'arm' | 'notifier' | 'warn'>,
  requestId: string,
  delivery: Delivery,
): Promise<ApplyOutcome> {
  let stored = await ports.store.get(requestId);
  if (!stored) return 'skipped';
  if (stored.value.state === 'approved' || stored.value.state === 'failed') {
    const started = transition(stored.value, { to: 'applying', actor: 'system', channel: 'apply-worker', at: ports.clock.now() });
    stored = await ports.store.update(started.request, stored.etag, [started.audit]);
  } else if (stored.value.state !== 'applying') {
    return 'skipped';
  }
  const request = stored.value;
  // A stored row is not trusted either: what is written must be exactly what the approver reviewed.
  const check = checkWrites(request);
  if (!check.ok) {
    const refused = transition(request, {
      to: 'failed', actor: 'system', channel: 'apply-worker', at: ports.clock.now(),
      detail: `${check.failure.code}: ${check.failure.message}`,
      changes: { lastError: check.failure },
    });
    const saved = await ports.store.update(refused.request, stored.etag, [refused.audit]);
    await tell(ports, `request ${request.id} failed`, () => ports.notifier.failed(saved.value));
    return 'failed';
  }
  const created: CreatedExemption[] = [];
  try {
    // A renewal reuses the names of the exemptions it renews, so the PUT extends them in place.
    const seed = request.renewalOf?.nameSeed ?? request.id;
    for (const write of check.writes) {
      if (write.kind === 'policy') {
        const { scope, assignment } = write;
        const id = await ports.arm.putExemption(scope, exemptionName(seed, scope, assignment.policyAssignmentId), exemptionProperties(request, assignment));
        created.push({ id, resourceId: scope, policyAssignmentId: assignment.policyAssignmentId });
      } else {
        const { scope, standard, standardName, assessmentKey } = write;
        const name = standardAssignmentName(seed, scope, standardName, assessmentKey);
        const id = await ports.arm.putStandardAssignment(scope, name, standardExemptionBody(request, standardName, assessmentKey));
        created.push({ kind: 'standard', id, resourceId: scope, assignedStandardId: standard.assignedStandardId });
      }
    }
  } catch (error) {
    // The gateway reports ARM's answers as ArmError; anything else is unexplained, so it is retried.
    const armError = error instanceof ArmError ? error : new ArmError(0, 'Unexpected', `create exemption: ${String((error as Error)?.message ?? error)}`, true);
    const lastDelivery = delivery.dequeueCount >= delivery.maxDequeueCount;
    if (armError.transient && !lastDelivery) throw armError;
    const failed = transition(request, {
      to: 'failed', actor: 'system', channel: 'apply-worker', at: ports.clock.now(),
      detail: `${armError.status} ${armError.code}: ${armError.message}`,
      changes: { lastError: failure(armError), exemptions: created },
    });
    const saved = await ports.store.update(failed.request, stored.etag, [failed.audit]);
    await tell(ports, `request ${request.id} failed`, () => ports.notifier.failed(saved.value));
    return 'failed';
  }
  const applied = transition(request, {
    to: 'applied', actor: 'system', channel: 'apply-worker', at: ports.clock.now(),
    detail: `${created.length} exemption(s)${request.renewalOf ? ` extended in place (renewal of request ${request.renewalOf.requestId})` : ''}: ${created.map((e) => e.id).join(', ')}`,
    changes: { exemptions: created },
  });
  const saved = await ports.store.update(applied.request, stored.etag, [applied.audit]);
  if (saved.value.renewalOf) await supersede(ports, saved);
  await tell(ports, `request ${request.id} applied`, () => ports.notifier.applied(saved.value));
  return 'applied';
}

/** Writers of the old request are few (the sweep, a late renewal ask); this bounds a pathological loop. */
const SUPERSEDE_ATTEMPTS = 5;

/**
 * An applied renewal supersedes the request it renews: that one moves to `renewed`, and both audit
 * trails say so. The exemptions exist either way, so a failure here is reported, never undoes the apply.
 */
async function supersede(
  ports: Pick<RequestPorts, 'clock' | 'store' | 'warn'>,
  renewal: { value: ExemptionRequest; etag: string },
): Promise<void> {
  const oldId = renewal.value.renewalOf!.requestId;
  const warn = (what: string, error?: unknown) => ports.warn?.(`renewal ${renewal.value.id} is applied but request ${oldId} ${what}${error === undefined ? '' : `: ${String((error as Error)?.message ?? error)}`}`);
  let outcome: string | undefined;
  try {
    for (let attempt = 1; outcome === undefined; attempt++) {
      const old = await ports.store.get(oldId);
      if (!old) return warn('no longer exists');
      if (!canTransition(old.value.state, 'renewed')) return warn(`is ${old.value.state} and stays so`);
      const renewed = transition(old.value, {
        to: 'renewed', actor: 'system', channel: 'apply-worker', at: ports.clock.now(),
        detail: `renewed by request ${renewal.value.id}: its exemptions now expire on ${renewal.value.expiresOn}`,
      });
      try {
        await ports.store.update(renewed.request, old.etag, [renewed.audit]);
        outcome = `request ${oldId} is now renewed`;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= SUPERSEDE_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    return warn('could not be marked renewed', error);
  }
  try {
    const noted = annotate(renewal.value, { actor: 'system', channel: 'apply-worker', at: ports.clock.now(), action: 'superseded', detail: outcome });
    await ports.store.update(noted.request, renewal.etag, [noted.audit]);
  } catch (error) {
    warn('is renewed; the note on the renewal could not be written', error);
  }
}

/** ARM's error, cut to the limits the stored request is sized for. */
function failure(error: ArmError): ExemptionRequest['lastError'] {
  return { status: error.status, code: error.code.slice(0, REQUEST_LIMITS.errorCodeLength), message: error.message.slice(0, REQUEST_LIMITS.errorMessageLength) };
}

