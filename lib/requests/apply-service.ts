import { ArmError, toArmError } from '../azure/arm-error.js';
import { exemptionName } from '../azure/policy-exemption.js';
import { appliedEmail, failedEmail } from '../notify/email-content.js';
import { sendCourtesyMail } from '../notify/courtesy-mail.js';
import { exemptionProperties } from './exemption-properties.js';
import { transition } from './lifecycle.js';
import type { CreatedExemption, ExemptionRequest } from './model.js';
import type { RequestPorts } from './ports.js';
import { REQUEST_LIMITS } from './request-size.js';

export interface Delivery {
  readonly dequeueCount: number;
  readonly maxDequeueCount: number;
}

export type ApplyOutcome = 'applied' | 'failed' | 'skipped';

/**
 * Creates one exemption per resolved assignment. Names are deterministic and PUT is create-or-update,
 * so a redelivered message creates nothing twice. Transient ARM errors are thrown for the queue to
 * redeliver (the pipeline already honoured Retry-After); permanent ones, or a transient one on the last
 * delivery, end the request in `failed` with the ARM error kept.
 */
export async function applyExemptions(
  ports: Pick<RequestPorts, 'clock' | 'store' | 'arm' | 'mailer' | 'warn'>,
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
  const created: CreatedExemption[] = [];
  try {
    for (const target of request.targets) {
      for (const assignment of target.assignments) {
        const name = exemptionName(request.id, target.resourceId, assignment.policyAssignmentId);
        const id = await ports.arm.putExemption(target.resourceId, name, exemptionProperties(request, assignment));
        created.push({ id, resourceId: target.resourceId, policyAssignmentId: assignment.policyAssignmentId });
      }
    }
  } catch (error) {
    const armError = toArmError(error, 'create policy exemption');
    const lastDelivery = delivery.dequeueCount >= delivery.maxDequeueCount;
    if (armError.transient && !lastDelivery) throw armError;
    const failed = transition(request, {
      to: 'failed', actor: 'system', channel: 'apply-worker', at: ports.clock.now(),
      detail: `${armError.status} ${armError.code}: ${armError.message}`,
      changes: { lastError: failure(armError), exemptions: created },
    });
    const saved = await ports.store.update(failed.request, stored.etag, [failed.audit]);
    await sendCourtesyMail(ports, [request.decision?.by], failedEmail(saved.value));
    return 'failed';
  }
  const applied = transition(request, {
    to: 'applied', actor: 'system', channel: 'apply-worker', at: ports.clock.now(),
    detail: `${created.length} exemption(s): ${created.map((e) => e.id).join(', ')}`,
    changes: { exemptions: created },
  });
  const saved = await ports.store.update(applied.request, stored.etag, [applied.audit]);
  await sendCourtesyMail(ports, [request.requestedBy, request.decision?.by], appliedEmail(saved.value));
  return 'applied';
}

/** ARM's error, cut to the limits the stored request is sized for. */
function failure(error: ArmError): ExemptionRequest['lastError'] {
  return { status: error.status, code: error.code.slice(0, REQUEST_LIMITS.errorCodeLength), message: error.message.slice(0, REQUEST_LIMITS.errorMessageLength) };
}

