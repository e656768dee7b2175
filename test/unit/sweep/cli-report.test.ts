// The sweep CLI's plain text report and progress bar: every kind in the report's order (zeros too),
// findings capped per kind, and ARM-supplied text that cannot drive the terminal.
import { describe, expect, it } from 'vitest';
import { FINDING_KINDS, FINDING_LABELS, type FindingKind } from '../../../lib/sweep/model.js';
import { FindingsTally, SHOWN_PER_KIND } from '../../../scripts/sweep/findings-tally.js';
import { ProgressBar } from '../../../scripts/sweep/progress-bar.js';
import { terminalText } from '../../../scripts/sweep/terminal-text.js';
import { textReport } from '../../../scripts/sweep/text-report.js';
import { finding, run } from './report-fixtures.js';

const TENANT = 'simulated tenant';
const TERMINAL_CONTROLS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

function report(findings = [finding()], overrides: Parameters<typeof run>[0] = {}): string {
  const tally = new FindingsTally(false);
  tally.add(findings);
  return textReport({ tenant: TENANT, run: run(overrides), tally, stored: { run: true, findings: findings.length } });
}

describe('the text report', () => {
  it('starts with the tenant and the run header: scope, dry run, status, duration, queries, calls, waits', () => {
    const text = report([finding()], { dryRun: true, status: 'partial' });
    expect(text.split('\n')[0]).toBe(`Exemption sweep — ${TENANT}`);
    expect(text).toMatch(/^Scope: +subscription\(s\) 3f2b8c1d-/m);
    expect(text).toMatch(/^Dry run: +yes/m);
    expect(text).toMatch(/^Status: +partial$/m);
    expect(text).toMatch(/^Duration: +4 min 12 s$/m);
    expect(text).toMatch(/^Resource Graph queries: +4$/m);
    expect(text).toMatch(/^ARM calls: +17$/m);
    expect(text).toMatch(/^Waits: +1 throttled answer\(s\), 2.5 s waited$/m);
  });

  it('counts every kind in FINDING_KINDS order, zeros included', () => {
    const text = report();
    const table = text.slice(text.indexOf('Findings by kind'));
    const positions = FINDING_KINDS.map((kind) => {
      const match = new RegExp(`^  ${FINDING_LABELS[kind].replace(/[()]/g, '\\$&')} +(\\d+)$`, 'm').exec(table);
      expect(match, kind).not.toBeNull();
      expect(Number(match![1]), kind).toBe(run().counts.byKind[kind] ?? 0);
      return match!.index;
    });
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('lists each kind\'s findings in that order, at most SHOWN_PER_KIND, then says how many more', () => {
    const expired = Array.from({ length: SHOWN_PER_KIND + 5 }, (_, i) => finding({ kind: 'expired', key: `e${i}`, displayName: `expired ${i}` }));
    const text = report([finding({ kind: 'stuck', displayName: 'stuck one' }), ...expired, finding({ kind: 'noExpiry', displayName: 'no expiry one' })]);
    const sections = (['expired', 'noExpiry', 'stuck'] as FindingKind[]).map((kind) => text.indexOf(`\n${FINDING_LABELS[kind]} (`));
    expect(sections.every((i) => i > text.indexOf('Findings by kind'))).toBe(true);
    expect(sections).toEqual([...sections].sort((a, b) => a - b));
    expect(text).toContain(`\n${FINDING_LABELS.expired} (${SHOWN_PER_KIND + 5})\n`);
    expect(text).toContain(`expired ${SHOWN_PER_KIND - 1} — `);
    expect(text).not.toContain(`expired ${SHOWN_PER_KIND} — `);
    expect(text).toContain('  … 5 more\n');
    // A kind with no findings gets a count but no section.
    expect(text).not.toContain(`\n${FINDING_LABELS.unmanaged} (`);
  });

  it('ends with the errors, or says there were none', () => {
    expect(report()).toMatch(/\nErrors \(0\)\n  none\n$/);
    expect(report([finding()], { errors: ['exemptions row x: unreadable'] })).toMatch(/\nErrors \(1\)\n  - exemptions row x: unreadable\n$/);
  });

  it('a hostile display name, detail, subject or error cannot rewrite the terminal or fake a report line', () => {
    const hostile = finding({
      displayName: 'Legit\x1b[2J\x1b[H\x1b]0;pwned\x07\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ name',
      detail: 'Expires soon.\r\nStatus:                 succeeded\u202eevil\u0007\u009b31m',
      subject: '/subscriptions/x/providers/Microsoft.Authorization/policyExemptions/a\x08\x08\x08b',
    });
    const text = report([hostile], { errors: ['row \x1b[31mred\x1b[0m: bad\nline'] });
    expect(text).not.toMatch(TERMINAL_CONTROLS);
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('\r');
    expect(text).toContain('Legitclick name');
    expect(text).not.toContain('pwned');
    // The injected line break became a space: there is one Status line, the real one.
    expect(text.match(/^Status:/gm)).toHaveLength(1);
    expect(text).toContain('Expires soon.  Status:');
    expect(text).toContain('row red: bad line');
  });
});

describe('terminalText', () => {
  it('keeps printable text, including non-ASCII, as it is', () => {
    expect(terminalText('Ünïcödé exemption — 東京 ✓')).toBe('Ünïcödé exemption — 東京 ✓');
  });

  it('removes escape sequences whole and every other control character', () => {
    expect(terminalText('a\x1b[1;31mb\x1b[0mc')).toBe('abc');
    expect(terminalText('a\x1b]0;title\x07b')).toBe('ab');
    expect(terminalText('a\x1bcb')).toBe('ab');
    expect(terminalText('a\x00\x7f\x9b\u202e\u2066b')).toBe('ab');
    expect(terminalText('a\r\nb\tc\u2028d')).toBe('a  b c d');
  });
});

describe('the progress bar', () => {
  const event = { phase: 'exemptions' as const, pages: 3, phaseRows: 2_500, exemptions: 2_500, subscriptions: 4, findings: 17 };

  it('shows phase, pages, subscriptions, exemptions and findings, with no ETA while the total is unknown', () => {
    const line = new ProgressBar({ write: () => true }).line(event);
    expect(line).toContain('exemptions');
    expect(line).toContain('pages 3');
    expect(line).toContain('subscriptions 4');
    expect(line).toContain('exemptions 2,500');
    expect(line).toContain('findings 17');
    expect(line).toMatch(/ETA —$/);
  });

  it('with the total Resource Graph announced: rows of total and an ETA from the rate so far', () => {
    let now = 0;
    const bar = new ProgressBar({ write: () => true }, () => now);
    expect(bar.line({ ...event, phaseRows: 1_000, expectedRows: 10_000 })).toMatch(/rows 1,000\/10,000 .*ETA —$/);
    now = 10_000;
    // 1,000 rows in 10 s; 8,000 to go.
    const line = bar.line({ ...event, phaseRows: 2_000, expectedRows: 10_000 });
    expect(line).toMatch(/^\[####----------------\]/);
    expect(line).toMatch(/ETA 1 min 20 s$/);
  });

  it('redraws one line in place and clears it when done', () => {
    const writes: string[] = [];
    const bar = new ProgressBar({ write: (text: string) => writes.push(text), columns: 40 });
    bar.update(event);
    bar.update({ ...event, phase: 'done' });
    bar.finish();
    expect(writes.slice(0, 2).every((w) => w.startsWith('\r') && !w.includes('\n') && w.length <= 40 + 4)).toBe(true);
    expect(writes.at(-1)).toBe('\r\x1b[K');
  });
});
