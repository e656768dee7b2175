import { isRunId, RUN_ID_PATTERN } from '../sweep/model.js';
import { lazily, zod } from '../core/lazy-zod.js';
import { expiryOf, openToken, signToken } from './signed-token.js';

/**
 * The signed link to one sweep run's report page. It grants reading that run's report (and its CSV)
 * until it expires; nothing else. Same shape as the review token, `v1.{payload}.{mac}`, but signed with
 * its own derived key, so a review link can never open a report and the other way round.
 */
export interface ReportClaims {
  readonly runId: string;
  readonly expiresAt: Date;
}

export type ReportTokenCheck =
  | { readonly ok: true; readonly claims: ReportClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'bad-signature' | 'expired' };

/** What a run id looks like (see SweepRun.id); anything else is refused before it reaches a URL or a key. */
export { isRunId, RUN_ID_PATTERN };

const PURPOSE = 'sweep-report';
const MAX_TOKEN_LENGTH = 1024;

const payloadSchema = lazily(() => {
  const z = zod();
  return z.strictObject({
    run: z.string().regex(RUN_ID_PATTERN),
    exp: z.number().int().positive(),
  });
});

function assertRunId(runId: string): void {
  if (!isRunId(runId)) throw new Error('not a sweep run id');
}

export function issueReportToken(secret: string, input: { readonly runId: string; readonly expiresAt: Date }): string {
  assertRunId(input.runId);
  const exp = expiryOf(input.expiresAt);
  if (!Number.isFinite(exp) || exp <= 0) throw new Error('report token expiry is not a valid date');
  return signToken(secret, PURPOSE, { run: input.runId, exp });
}

export function checkReportToken(secret: string, token: string, now: Date): ReportTokenCheck {
  const opened = openToken(secret, PURPOSE, token, payloadSchema(), now, MAX_TOKEN_LENGTH);
  return opened.ok ? { ok: true, claims: { runId: opened.payload.run, expiresAt: opened.expiresAt } } : opened;
}

function base(publicBaseUrl: string): string {
  return publicBaseUrl.replace(/\/+$/, '');
}

/** `${base}/api/sweeps/${runId}/report?t=${token}`: the link the digest email carries. */
export function reportUrl(publicBaseUrl: string, runId: string, token: string): string {
  assertRunId(runId);
  return `${base(publicBaseUrl)}/api/sweeps/${runId}/report?t=${encodeURIComponent(token)}`;
}

/**
 * The report's CSV download, as a path on the same host (the page links to it), carrying the same token.
 * Extra query parameters (the page's current filter) are appended after `t`.
 */
export function reportCsvPath(runId: string, token: string, extra?: URLSearchParams): string {
  assertRunId(runId);
  const query = new URLSearchParams({ t: token });
  for (const [name, value] of extra ?? []) if (name !== 't') query.append(name, value);
  return `/api/sweeps/${runId}/report/findings.csv?${query.toString()}`;
}
