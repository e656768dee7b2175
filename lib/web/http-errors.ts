import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { ArmError } from '../azure/arm-error.js';
import { UnresolvableRequestError } from '../requests/resolve-targets.js';
import { problem } from './problem.js';

/** Maps what the services throw onto problem responses; anything unexpected is logged and hidden. */
export function problemFromError(error: unknown, context: InvocationContext): HttpResponseInit {
  if (error instanceof UnresolvableRequestError) {
    return problem(422, error.message, [{ field: error.field, message: error.message }]);
  }
  if (error instanceof ArmError) {
    context.warn(`ARM call failed: ${error.status} ${error.code} ${error.message}`);
    return error.transient
      ? problem(503, `Azure Resource Manager is not answering (${error.code}); try again shortly`)
      : problem(502, `Azure Resource Manager refused a lookup: ${error.code}: ${error.message}`);
  }
  context.error('unexpected failure', error);
  return problem(500, 'something went wrong; the error was logged');
}
