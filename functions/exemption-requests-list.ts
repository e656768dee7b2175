import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { requestView, REQUESTS_ROUTE } from '../lib/requests/request-view.js';
import { problemFromError } from '../lib/web/http-errors.js';
import { nextPageLink, parseListQuery } from '../lib/web/list-query.js';
import { json } from '../lib/web/problem.js';

/** GET /api/exemption-requests?state=&subscriptionId=&requestedBy=&pageSize=&continuationToken= */
export async function listExemptionRequests(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  const secret = app.settings.review.signingKey;
  const parsed = parseListQuery(request.query, secret);
  if (!parsed.ok) return parsed.response;
  const { filter, pageSize, storeToken } = parsed.query;
  try {
    const page = await (await app.store()).list(filter, { size: pageSize, ...(storeToken ? { continuationToken: storeToken } : {}) });
    const listUrl = `${app.settings.publicBaseUrl}/api/${REQUESTS_ROUTE}`;
    return json(200, {
      items: page.items.map((item) => requestView(item, app.settings.publicBaseUrl)),
      ...(page.continuationToken ? { nextLink: nextPageLink(listUrl, parsed.query, secret, page.continuationToken) } : {}),
    });
  } catch (error) {
    return problemFromError(error, context);
  }
}

defineHttpFunction({ name: 'exemptionRequestsList', route: REQUESTS_ROUTE, methods: ['GET'], authLevel: 'function', handler: listExemptionRequests });
