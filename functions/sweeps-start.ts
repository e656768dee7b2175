import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { reportLinkSettings, runView, SWEEPS_ROUTE } from '../lib/sweep/report/run-view.js';
import { queueSweep } from '../lib/sweep/sweep-queue.js';
import { problemFromError } from '../lib/web/http-errors.js';
import { json } from '../lib/web/problem.js';

/** POST /api/sweeps: starts a sweep of SWEEP_SCOPE now; 202 with the run's status URL. The body is not read. */
export async function startSweep(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  try {
    const run = await queueSweep({ clock: app.clock, store: await app.sweepStore(), queue: await app.sweepQueue() }, app.settings.sweep.scope);
    const view = runView(run, reportLinkSettings(app.settings), app.clock.now());
    return json(202, view, { location: view.links.self });
  } catch (error) {
    return problemFromError(error, context);
  }
}

defineHttpFunction({ name: 'sweepsStart', route: SWEEPS_ROUTE, methods: ['POST'], authLevel: 'function', handler: startSweep });
