import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { ArmError } from '../requests/ports/arm-error.js';
import { UnresolvableRequestError } from '../requests/resolve-targets.js';
import { problem } from './problem.js';

/**
 * What a caller is told to wait when ARM is down and gave no Retry-After of its own. By then the ARM
 * pipeline has already retried with back-off for several seconds, so an immediate retry would hit the
 * same trouble; half a minute lets a blip or a throttling window pass.
 */
export const ARM_UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

/**
 * Maps what the services throw onto problem responses:
 * - a reference Azure cannot resolve, or ARM refusing a lookup with a 4xx: 422, the reason, the field;
 * - ARM answering 5xx, throttling (408/429) or not reachable at all: 503 with Retry-After — the request
 *   itself may be fine;
 * - anything else is our own fault: logged, hidden, 500.
 */
export function problemFromError(error: unknown, context: Pick<InvocationContext, 'warn' | 'error'>): HttpResponseInit {
  if (error instanceof UnresolvableRequestError) {
    return problem(422, error.message, [{ field: error.field, message: error.message }]);
  }
  if (error instanceof ArmError) {
    context.warn(`ARM call failed: ${error.status} ${error.code} ${error.message}`);
    if (armUnavailable(error)) {
      const response = problem(503, `Azure Resource Manager is not answering (${error.code}); try again later`);
      const seconds = Math.max(1, error.retryAfterSeconds ?? ARM_UNAVAILABLE_RETRY_AFTER_SECONDS);
      return { ...response, headers: { ...(response.headers as Record<string, string>), 'retry-after': String(seconds) } };
    }
    return problem(422, `Azure Resource Manager refused a lookup: ${error.code}: ${error.message}`);
  }
  context.error('unexpected failure', error);
  return problem(500, 'something went wrong; the error was logged');
}

/** Status 0 is a transport failure (connection dropped or refused, DNS): ARM was never heard. */
function armUnavailable(error: ArmError): boolean {
  return error.transient || error.status === 0 || error.status >= 500;
}
