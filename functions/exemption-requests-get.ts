import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { requestView, REQUESTS_ROUTE } from '../lib/requests/request-view.js';
import { problemFromError } from '../lib/web/http-errors.js';
import { json, problem } from '../lib/web/problem.js';

/** GET /api/exemption-requests/{id}: state, what each target is exempted through (assignments, standards, a scope-wide count), exemption ids and the audit trail. */
export async function getExemptionRequest(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  const id = request.params.id ?? '';
  if (!/^[a-z0-9]{1,64}$/.test(id)) return problem(400, 'not a request id', [{ field: 'id', message: 'must be a request id' }]);
  try {
    const store = await app.store();
    const stored = await store.get(id);
    if (!stored) return problem(404, `no request ${id}`);
    return json(200, requestView(stored.value, app.settings.publicBaseUrl, await store.auditTrail(id)));
  } catch (error) {
    return problemFromError(error, context);
  }
}

defineHttpFunction({ name: 'exemptionRequestsGet', route: `${REQUESTS_ROUTE}/{id}`, methods: ['GET'], authLevel: 'function', handler: getExemptionRequest });
