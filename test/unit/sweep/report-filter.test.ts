import { describe, expect, it } from 'vitest';
import type { SweepFinding } from '../../../lib/sweep/model.js';
import { filterFindings, filterParams, parseReportFilter, Q_MAX } from '../../../lib/sweep/report/report-filter.js';
import { finding } from './report-fixtures.js';

const parse = (query: string) => parseReportFilter(new URLSearchParams(query));

describe('report filter parsing', () => {
  it('is empty without parameters', () => {
    expect(parse('')).toEqual({ newOnly: false, ignored: [] });
    expect(parse('kind=&q=%20%20&t=abc')).toEqual({ newOnly: false, ignored: [] });
  });

  it('reads a finding kind, trimmed search text and the new-only checkbox', () => {
    expect(parse('kind=expired&q=%20Storage%20&new=1')).toEqual({ kind: 'expired', q: 'Storage', newOnly: true, ignored: [] });
    expect(parse('new=on').newOnly).toBe(true);
    expect(parse('new=0').newOnly).toBe(false);
    expect(parse('new=false').newOnly).toBe(false);
  });

  it.each(['Expired', 'toString', '__proto__', '<script>alert(1)</script>', 'expired '])('ignores a kind that is not one: %s', (kind) => {
    const filter = parse(`kind=${encodeURIComponent(kind)}`);
    expect(filter.kind).toBeUndefined();
    expect(filter.ignored).toHaveLength(1);
    // The sentence names the problem, never the value.
    expect(filter.ignored.join(' ')).not.toContain(kind.trim());
  });

  it('cuts search text at the cap and says so', () => {
    const filter = parse(`q=${'a'.repeat(Q_MAX)}${'<b>'.repeat(50)}`);
    expect(filter.q).toBe('a'.repeat(Q_MAX));
    expect(filter.ignored).toEqual([expect.stringContaining(`${Q_MAX} characters`)]);
    expect(parse(`q=${'a'.repeat(Q_MAX)}`)).toEqual({ q: 'a'.repeat(Q_MAX), newOnly: false, ignored: [] });
  });

  it('turns back into query parameters without the notes', () => {
    expect(filterParams(parse('kind=stuck&q=x%26y&new=1&t=tok')).toString()).toBe('kind=stuck&q=x%26y&new=1');
    expect(filterParams(parse('')).toString()).toBe('');
  });
});

describe('filtering findings', () => {
  // Neutral text everywhere, so each search below can only match the one field it is aimed at.
  const plain = (o: Partial<SweepFinding>) => finding({
    subject: '/subscriptions/s/providers/Microsoft.Authorization/policyExemptions/ex-1',
    scope: '/subscriptions/s/resourceGroups/rg-app', displayName: 'Waiver', detail: 'Expired.', ...o,
  });
  const findings: SweepFinding[] = [
    plain({ key: 'a', kind: 'expired', displayName: 'Storage waiver', isNew: true }),
    plain({ key: 'b', kind: 'expired', displayName: undefined, scope: '/subscriptions/s/resourceGroups/RG-Data', isNew: false }),
    plain({ key: 'c', kind: 'noExpiry', subject: '/subscriptions/s/providers/Microsoft.Authorization/policyExemptions/KeyVault-1', isNew: true }),
    plain({ key: 'd', kind: 'stuck', detail: 'Request has been Approved for 3 days', isNew: false }),
  ];
  const keys = (query: string) => filterFindings(findings, parse(query)).map((f) => f.key);

  it('keeps everything without a filter', () => {
    expect(keys('')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps one kind', () => {
    expect(keys('kind=expired')).toEqual(['a', 'b']);
    expect(keys('kind=orphanedResource')).toEqual([]);
  });

  it('matches text in display name, scope, subject and detail, in any case', () => {
    expect(keys('q=STORAGE')).toEqual(['a']);
    expect(keys('q=rg-data')).toEqual(['b']);
    expect(keys('q=keyvault')).toEqual(['c']);
    expect(keys('q=approved for')).toEqual(['d']);
  });

  it('keeps only new findings when asked, and combines with the rest', () => {
    expect(keys('new=1')).toEqual(['a', 'c']);
    expect(keys('new=1&kind=expired')).toEqual(['a']);
    expect(keys('new=1&kind=expired&q=rg-data')).toEqual([]);
  });

  it('ignores an invalid kind rather than matching nothing', () => {
    expect(keys('kind=bogus')).toEqual(['a', 'b', 'c', 'd']);
  });
});
