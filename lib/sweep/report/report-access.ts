import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { messagePage } from '../../web/html-response.js';
import { checkReportToken } from '../../web/report-link.js';
import { isRunId, type SweepRun } from '../model.js';
import type { SweepStore } from '../ports/sweep-store.js';

export type ReportAccess =
  | { readonly ok: true; readonly run: SweepRun; readonly token: string }
  | { readonly ok: false; readonly response: HttpResponseInit };

/**
 * The report page and its CSV are opened from the digest email, without a function key: the signed
 * link is the credential, and it names the one run it opens. Every refusal is the same page, so a
 * guessed id learns nothing about which runs exist.
 */
export async function reportAccess(request: Pick<HttpRequest, 'params' | 'query'>, secret: string, store: SweepStore, now: Date): Promise<ReportAccess> {
  const id = request.params.id ?? '';
  const tokens = request.query.getAll('t');
  const refused = { ok: false as const, response: messagePage(403, 'This report link is not valid', 'The link is incomplete, altered or expired. Open the report from the latest digest email, or ask for a new link through the API.') };
  if (!isRunId(id) || tokens.length !== 1) return refused;
  const check = checkReportToken(secret, tokens[0]!, now);
  if (!check.ok || check.claims.runId !== id) return refused;
  const run = await store.getRun(id);
  if (!run) return { ok: false, response: messagePage(404, 'No such sweep run', 'The run this link names is not stored any more.') };
  return { ok: true, run, token: tokens[0]! };
}
