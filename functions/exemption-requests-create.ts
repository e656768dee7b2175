import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { submitRequest } from '../lib/requests/intake-service.js';
import { parseIntake } from '../lib/requests/parse-intake.js';
import { requestView, REQUESTS_ROUTE, statusUrl } from '../lib/requests/request-view.js';
import { signedInUser } from '../lib/web/client-principal.js';
import { problemFromError } from '../lib/web/http-errors.js';
import { json, problem } from '../lib/web/problem.js';
import { readJsonBody } from '../lib/web/read-json-body.js';

/** POST /api/exemption-requests: a Defender recommendation event (from the relay) or a direct request. */
export async function createExemptionRequest(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  const body = await readJsonBody(request, app.settings.limits.maxBodyBytes);
  if (!body.ok) return body.response;
  const caller = signedInUser(request, app.settings.platformAuth);
  const parsed = parseIntake(body.value, app.settings.limits, app.clock.now(), caller);
  if (!parsed.ok) return problem(400, 'some fields are not valid; nothing was stored', parsed.problems);
  try {
    const ports = { clock: app.clock, store: await app.store(), arm: await app.arm(), notifyQueue: await app.notifyQueue() };
    const { windowSeconds } = app.settings.coalesce;
    const outcome = await submitRequest(ports, parsed.command, windowSeconds > 0 ? { windowSeconds, windows: await app.burstWindows() } : undefined);
    const location = statusUrl(app.settings.publicBaseUrl, outcome.request.id);
    const view = requestView(outcome.request, app.settings.publicBaseUrl);
    if (outcome.kind === 'coalesced') return json(202, { ...view, coalesced: true }, { location });
    return json(outcome.kind === 'created' ? 202 : 200, view, { location });
  } catch (error) {
    return problemFromError(error, context);
  }
}

defineHttpFunction({ name: 'exemptionRequestsCreate', route: REQUESTS_ROUTE, methods: ['POST'], authLevel: 'function', handler: createExemptionRequest });
