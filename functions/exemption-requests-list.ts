import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { REQUEST_STATES } from '../lib/requests/model.js';
import { problemsFrom } from '../lib/requests/intake-fields.js';
import { requestView, REQUESTS_ROUTE } from '../lib/requests/request-view.js';
import { problemFromError } from '../lib/web/http-errors.js';
import { json, problem } from '../lib/web/problem.js';

const querySchema = z.strictObject({
  state: z.enum(REQUEST_STATES).optional(),
  subscriptionId: z.uuid().optional(),
  requestedBy: z.string().trim().max(320).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  continuationToken: z.string().max(2048).optional(),
});

/** GET /api/exemption-requests?state=&subscriptionId=&requestedBy=&pageSize=&continuationToken= */
export async function listExemptionRequests(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  const parsed = querySchema.safeParse(Object.fromEntries(request.query.entries()));
  if (!parsed.success) return problem(400, 'some query parameters are not valid', problemsFrom(parsed.error));
  const { pageSize, continuationToken, ...filter } = parsed.data;
  try {
    const page = await (await app.store()).list(filter, { size: pageSize, ...(continuationToken ? { continuationToken } : {}) });
    const next = new URL(`${app.settings.publicBaseUrl}/api/${REQUESTS_ROUTE}`);
    for (const [key, value] of Object.entries({ ...filter, pageSize: String(pageSize) })) if (value) next.searchParams.set(key, value);
    if (page.continuationToken) next.searchParams.set('continuationToken', page.continuationToken);
    return json(200, {
      items: page.items.map((item) => requestView(item, app.settings.publicBaseUrl)),
      ...(page.continuationToken ? { nextLink: next.toString() } : {}),
    });
  } catch (error) {
    return problemFromError(error, context);
  }
}

defineHttpFunction({ name: 'exemptionRequestsList', route: REQUESTS_ROUTE, methods: ['GET'], authLevel: 'function', handler: listExemptionRequests });
