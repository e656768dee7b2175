import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { problem } from '../lib/web/problem.js';
import { readJsonBody } from '../lib/web/read-json-body.js';

/**
 * POST /api/messages: the Azure Bot's messaging endpoint. Anonymous here because the Teams SDK checks
 * the Bot Framework JWT on every activity itself (401 when it does not hold).
 */
export async function teamsMessages(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  if (!app.settings.teams) return problem(404, 'Teams is not configured on this app (BOT_APP_ID is unset)');
  const body = await readJsonBody(request, app.settings.limits.maxBodyBytes);
  if (!body.ok) return body.response;
  try {
    const { bot } = await app.teams();
    const answer = await bot.handle({ body: body.value, headers: Object.fromEntries(request.headers.entries()) });
    return { status: answer.status, ...(answer.body === undefined ? {} : { jsonBody: answer.body }) };
  } catch (error) {
    context.error('Teams activity failed', error);
    return problem(500, 'the activity could not be processed; nothing was decided');
  }
}

defineHttpFunction({ name: 'teamsMessages', route: 'messages', methods: ['POST'], authLevel: 'anonymous', handler: teamsMessages });
