import { formatUtc, isoDate, resourceName, singleLine } from '../../render/format.js';
import { html, render, type SafeHtml } from '../../web/html.js';
import { FINDING_KINDS, FINDING_LABELS, type FindingKind, type SweepFinding, type SweepRun } from '../model.js';

/**
 * The mail a sweep sends when it found something new: the new findings grouped by kind, the counts, and
 * the signed link to the run's report. Known findings are not repeated (they were mailed when new).
 * Names, ids and details come from ARM: escaped in HTML, flattened to one line in the text part, and
 * kept out of the subject altogether.
 */
export interface DigestEmailView {
  readonly run: SweepRun;
  /** The run's new findings; any that are not new are left out. */
  readonly newFindings: readonly SweepFinding[];
  /** The signed report link (see reportUrl in lib/web/report-link.ts). */
  readonly reportUrl: string;
  /** How many new findings the run has in all, when `newFindings` holds only some; at least their number. */
  readonly totalNew?: number;
}

export interface DigestEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** At most this many findings are listed in one mail; the report has the rest. */
export const DIGEST_LIST_CAP = 200;
/** Kinds named in the subject, most numerous first; the rest become "…". */
const SUBJECT_KINDS = 3;

const SUBJECT_WORDS: Readonly<Record<FindingKind, string>> = {
  expiring: 'expiring soon',
  expired: 'expired',
  noExpiry: 'without expiry',
  orphanedAssignment: 'orphaned (assignment gone)',
  orphanedResource: 'orphaned (resource gone)',
  deletedOutOfBand: 'deleted out of band',
  changedOutOfBand: 'changed out of band',
  unmanaged: 'unmanaged',
  selfServe: 'self-serve',
  defenderMismatch: 'Defender mismatch',
  stuck: 'stuck',
};

const FONT = "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function countByKind(findings: readonly SweepFinding[]): Map<FindingKind, number> {
  const counts = new Map<FindingKind, number>();
  for (const f of findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return counts;
}

function subjectFor(run: SweepRun, totalNew: number, byKind: Map<FindingKind, number>): string {
  const kinds = FINDING_KINDS.filter((k) => (byKind.get(k) ?? 0) > 0)
    .sort((a, b) => (byKind.get(b) ?? 0) - (byKind.get(a) ?? 0));
  const named = kinds.slice(0, SUBJECT_KINDS).map((k) => `${byKind.get(k)} ${SUBJECT_WORDS[k]}`);
  if (kinds.length > SUBJECT_KINDS) named.push('…');
  const what = totalNew === 0 ? 'no new findings' : plural(totalNew, 'new finding', 'new findings');
  const status = run.status === 'succeeded' || run.status === 'running' ? '' : ` [run ${run.status}]`;
  const dry = run.dryRun ? ' [dry run]' : '';
  // Only numbers and our own words reach the subject; singleLine is the backstop against header injection.
  return singleLine(`exemption-broker sweep: ${what}${named.length ? ` (${named.join(', ')})` : ''}${status}${dry}`, 250);
}

function title(f: SweepFinding): string {
  return f.displayName?.trim() ? f.displayName : resourceName(f.subject);
}

interface Group {
  readonly kind: FindingKind;
  readonly count: number;
  readonly listed: readonly SweepFinding[];
}

/** New findings grouped in the report's kind order, the first DIGEST_LIST_CAP of them listed. */
function groups(findings: readonly SweepFinding[]): Group[] {
  let room = DIGEST_LIST_CAP;
  const out: Group[] = [];
  for (const kind of FINDING_KINDS) {
    const ofKind = findings.filter((f) => f.kind === kind);
    if (ofKind.length === 0) continue;
    const listed = ofKind.slice(0, room);
    room -= listed.length;
    out.push({ kind, count: ofKind.length, listed });
  }
  return out;
}

function runLine(run: SweepRun): string {
  const status = run.status === 'succeeded' ? '' : ` It ended ${run.status}${run.errors.length ? ` with ${plural(run.errors.length, 'error', 'errors')}` : ''}.`;
  const dry = run.dryRun ? ' This was a dry run: nothing was changed and no other notices were sent.' : '';
  return `The sweep that started ${formatUtc(run.startedAt)} looked at ${plural(run.counts.exemptions, 'exemption', 'exemptions')} in ${plural(run.counts.subscriptions, 'subscription', 'subscriptions')} and found ${plural(run.counts.findings, 'finding', 'findings')}.${status}${dry}`;
}

function findingHtml(f: SweepFinding): SafeHtml {
  return html`<li style="margin:0 0 10px;">
<div style="font-weight:600;word-break:break-word;">${title(f)}</div>
<div style="font-family:ui-monospace,Consolas,monospace;font-size:12px;color:#4b5563;word-break:break-all;">${f.subject}</div>
<div style="font-size:13px;white-space:pre-wrap;word-break:break-word;">${f.detail}${f.expiresOn && html` <span style="color:#6b7280;">(expires ${isoDate(f.expiresOn)})</span>`}</div>
</li>`;
}

function renderHtml(view: Required<DigestEmailView>, subject: string, list: Group[], byKindNew: Map<FindingKind, number>, unlisted: number): string {
  const { run, reportUrl } = view;
  const countRows = FINDING_KINDS.filter((k) => (run.counts.byKind[k] ?? 0) > 0 || (byKindNew.get(k) ?? 0) > 0).map((k) => html`<tr>
<th scope="row" style="text-align:left;padding:4px 12px 4px 0;font-weight:600;color:#4b5563;">${FINDING_LABELS[k]}</th>
<td style="padding:4px 12px 4px 0;text-align:right;">${byKindNew.get(k) ?? 0}</td>
<td style="padding:4px 0;text-align:right;color:#6b7280;">${run.counts.byKind[k] ?? 0}</td>
</tr>`);
  return render(html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${subject}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<div style="max-width:720px;margin:0 auto;padding:24px 12px;font-family:${FONT};font-size:15px;line-height:1.5;color:#1f2937;">
<div style="background:#ffffff;border:1px solid #e5e7eb;border-radius:8px;padding:24px;">
<p style="margin:0 0 4px;font-size:12px;letter-spacing:.06em;text-transform:uppercase;color:#6b7280;">exemption-broker sweep</p>
<h1 style="margin:0 0 12px;font-size:20px;line-height:1.3;color:#111827;">${view.totalNew === 0 ? 'No new findings' : plural(view.totalNew, 'new finding', 'new findings')}</h1>
<p style="margin:0 0 16px;">${runLine(run)}</p>
${countRows.length > 0 && html`<table role="presentation" style="border-collapse:collapse;font-size:14px;margin:0 0 16px;">
<tr><th style="text-align:left;padding:4px 12px 4px 0;color:#6b7280;font-weight:600;">Kind</th><th style="padding:4px 12px 4px 0;color:#6b7280;font-weight:600;text-align:right;">New</th><th style="padding:4px 0;color:#6b7280;font-weight:600;text-align:right;">All</th></tr>
${countRows}
</table>`}
<p style="margin:16px 0 8px;"><a href="${reportUrl}" style="display:inline-block;background:#0b57d0;color:#ffffff;padding:12px 22px;border-radius:6px;text-decoration:none;font-weight:600;">Open the report</a></p>
<p style="margin:0 0 8px;font-size:12px;color:#6b7280;word-break:break-all;">Or open this link: ${reportUrl}</p>
${list.map((g) => html`<h2 style="margin:24px 0 8px;font-size:16px;color:#111827;">${FINDING_LABELS[g.kind]} (${g.count} new)</h2>
<ul style="margin:0;padding-left:20px;">${g.listed.map(findingHtml)}</ul>
${g.listed.length < g.count && html`<p style="margin:0;color:#6b7280;font-size:13px;">and ${g.count - g.listed.length} more of this kind</p>`}`)}
${unlisted > 0 && html`<p style="margin:16px 0 0;" data-more="${unlisted}">${plural(unlisted, 'more new finding is', 'more new findings are')} not listed here; the report has them all.</p>`}
</div>
<p style="margin:16px 4px 0;font-size:12px;color:#6b7280;">Run ${run.id} · The report link is signed and expires.</p>
</div>
</body></html>`);
}

function renderText(view: Required<DigestEmailView>, list: Group[], byKindNew: Map<FindingKind, number>, unlisted: number): string {
  const { run } = view;
  const lines = [view.totalNew === 0 ? 'No new findings' : plural(view.totalNew, 'new finding', 'new findings'), '', runLine(run), ''];
  const kinds = FINDING_KINDS.filter((k) => (run.counts.byKind[k] ?? 0) > 0 || (byKindNew.get(k) ?? 0) > 0);
  if (kinds.length) {
    const width = Math.max(...kinds.map((k) => FINDING_LABELS[k].length)) + 2;
    lines.push(`${'Kind'.padEnd(width)}new  all`);
    for (const k of kinds) lines.push(`${FINDING_LABELS[k].padEnd(width)}${String(byKindNew.get(k) ?? 0).padStart(3)}  ${String(run.counts.byKind[k] ?? 0).padStart(3)}`);
  }
  // The URL alone on its line so that every mail client makes it clickable.
  lines.push('', 'Open the report:', view.reportUrl);
  for (const g of list) {
    lines.push('', `${FINDING_LABELS[g.kind]} (${g.count} new)`);
    for (const f of g.listed) {
      lines.push(`- ${singleLine(title(f), 200)}`, `  ${singleLine(f.subject, 400)}`, `  ${singleLine(f.detail, 400)}${f.expiresOn ? ` (expires ${singleLine(isoDate(f.expiresOn), 40)})` : ''}`);
    }
    if (g.listed.length < g.count) lines.push(`  and ${g.count - g.listed.length} more of this kind`);
  }
  if (unlisted > 0) lines.push('', `${plural(unlisted, 'more new finding is', 'more new findings are')} not listed here; the report has them all.`);
  lines.push('', '-- ', `Run ${run.id} · The report link is signed and expires.`);
  return `${lines.join('\n')}\n`;
}

export function digestEmail(view: DigestEmailView): DigestEmail {
  const fresh = view.newFindings.filter((f) => f.isNew);
  const totalNew = Math.max(view.totalNew ?? fresh.length, fresh.length);
  const byKindNew = countByKind(fresh);
  const list = groups(fresh);
  const listed = list.reduce((n, g) => n + g.listed.length, 0);
  const unlisted = totalNew - listed;
  const full = { ...view, newFindings: fresh, totalNew };
  const subject = subjectFor(view.run, totalNew, byKindNew);
  return { subject, text: renderText(full, list, byKindNew, unlisted), html: renderHtml(full, subject, list, byKindNew, unlisted) };
}
