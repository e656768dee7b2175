import { FINDING_KINDS, FINDING_LABELS, type SweepFinding, type SweepRun, type SweepScope } from '../../lib/sweep/model.js';
import type { FindingsTally } from './findings-tally.js';
import { terminalText } from './terminal-text.js';

export interface ReportInput {
  /** Which tenant was swept, e.g. "simulated tenant (…)". */
  readonly tenant: string;
  readonly run: SweepRun;
  readonly tally: FindingsTally;
  /** What the store holds for this run, read back after it ended. */
  readonly stored: StoredRun;
}

export interface StoredRun {
  readonly run: boolean;
  readonly findings: number;
}

/** The plain text report: header, counts by kind (every kind, in the report's order), findings, errors. */
export function textReport({ tenant, run, tally, stored }: ReportInput): string {
  const lines: string[] = [];
  const field = (name: string, value: string) => lines.push(`${`${name}:`.padEnd(24)}${value}`);
  lines.push(`Exemption sweep — ${t(tenant)}`, '');
  field('Run', t(run.id));
  field('Scope', scopeText(run.scope));
  field('Dry run', run.dryRun ? 'yes (nothing changed, nothing sent)' : 'no');
  field('Status', run.status);
  field('Duration', run.durationMs === undefined ? '—' : duration(run.durationMs));
  field('Exemptions', `${count(run.counts.exemptions)} in ${count(run.counts.subscriptions)} subscription(s)${run.source ? `, read from ${run.source === 'rest' ? 'ARM (REST fallback)' : 'Resource Graph'}` : ''}`);
  field('Assessments', count(run.counts.assessments));
  field('Resource Graph queries', count(run.calls.resourceGraphQueries));
  field('ARM calls', count(run.calls.armCalls));
  field('Waits', `${count(run.calls.throttled)} throttled answer(s), ${duration(run.calls.waitedMs)} waited`);
  field('Findings', `${count(run.counts.findings)} (${count(run.counts.newFindings)} new)`);
  field('Stored', stored.run ? `the run and ${count(stored.findings)} finding(s)` : 'nothing');

  lines.push('', 'Findings by kind');
  const width = Math.max(...FINDING_KINDS.map((k) => FINDING_LABELS[k].length));
  for (const kind of FINDING_KINDS) lines.push(`  ${FINDING_LABELS[kind].padEnd(width)}  ${String(count(run.counts.byKind[kind] ?? 0)).padStart(7)}`);

  for (const kind of FINDING_KINDS) {
    const shown = tally.shown[kind];
    if (shown.length === 0) continue;
    lines.push('', `${FINDING_LABELS[kind]} (${count(tally.counts[kind])})`);
    for (const finding of shown) lines.push(...findingLines(finding));
    const more = tally.counts[kind] - shown.length;
    if (more > 0) lines.push(`  … ${count(more)} more`);
  }

  lines.push('', `Errors (${run.errors.length})`);
  if (run.errors.length === 0) lines.push('  none');
  for (const error of run.errors) lines.push(`  - ${t(error)}`);
  return `${lines.join('\n')}\n`;
}

function findingLines(finding: SweepFinding): string[] {
  const facts = [
    finding.threshold ? `within ${t(finding.threshold)} day(s)` : undefined,
    finding.requestId ? `request ${t(finding.requestId)}` : undefined,
    finding.action === 'none' ? undefined : `action: ${finding.action}`,
    finding.isNew ? 'new' : undefined,
  ].filter(Boolean);
  return [
    `  - ${finding.displayName ? `${t(finding.displayName)} — ` : ''}${t(finding.subject)}`,
    `    ${t(finding.detail)}${facts.length > 0 ? ` [${facts.join('; ')}]` : ''}`,
  ];
}

export function scopeText(scope: SweepScope): string {
  if (scope.subscriptions.length > 0) return `subscription(s) ${scope.subscriptions.map(t).join(', ')}`;
  if (scope.managementGroups.length > 0) return `management group(s) ${scope.managementGroups.map(t).join(', ')}`;
  return 'every subscription the identity can read';
}

export function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  const hours = Math.floor(seconds / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  const rest = `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return hours > 0 ? `${hours} h ${rest}` : rest;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

const t = terminalText;
