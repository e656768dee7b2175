import { describe, expect, it } from 'vitest';
import type { SweepFinding } from '../../../lib/sweep/model.js';
import { csvCell, findingsCsv, findingsCsvBody, findingsCsvHeader, findingsCsvRows, runFindingPages } from '../../../lib/sweep/report/findings-csv.js';

const finding = (overrides: Partial<SweepFinding> = {}): SweepFinding => ({
  key: 'a'.repeat(64), kind: 'expiring', threshold: '7',
  subject: '/subscriptions/s1/providers/Microsoft.Authorization/policyExemptions/ex1',
  subscriptionId: 's1', scope: '/subscriptions/s1', policyAssignmentId: '/subscriptions/s1/providers/Microsoft.Authorization/policyAssignments/pa',
  displayName: 'Storage exemption', expiresOn: '2026-11-08T00:00:00.000Z', requestId: 'req1', managed: true,
  detail: 'Expires in 7 days', action: 'notified', firstSeen: '2026-11-01T02:00:00.000Z', lastSeen: '2026-11-01T02:00:00.000Z', isNew: true,
  ...overrides,
});

/** A strict RFC 4180 reader: the test's independent view of what a spreadsheet or CSV library sees. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
          i++;
          break;
        }
        cell += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote at ${i}`);
        cell += text[i++];
      }
    }
    row.push(cell);
    if (text[i] === ',') { i++; continue; }
    if (text.startsWith('\r\n', i)) { rows.push(row); row = []; i += 2; continue; }
    throw new Error(`expected a comma or CRLF at ${i}`);
  }
  if (row.length > 0) throw new Error('last line has no CRLF');
  return rows;
}

describe('findings CSV', () => {
  it('starts with the header row, in the documented column order', () => {
    expect(findingsCsvHeader()).toBe('key,kind,threshold,subject,subscriptionId,scope,policyAssignmentId,displayName,expiresOn,requestId,managed,detail,action,firstSeen,lastSeen,isNew,mechanism,assignedStandardId\r\n');
  });

  it('writes one row per finding, every column in order, absent values empty', () => {
    const rows = parseCsv(findingsCsvHeader() + findingsCsvRows([finding(), finding({ policyAssignmentId: undefined, displayName: undefined, expiresOn: undefined, requestId: undefined, managed: false, isNew: false, threshold: '' })]));
    expect(rows).toHaveLength(3);
    const header = rows[0]!;
    const first = Object.fromEntries(header.map((name, i) => [name, rows[1]![i]]));
    expect(first).toEqual({
      key: 'a'.repeat(64), kind: 'expiring', threshold: '7', subject: finding().subject, subscriptionId: 's1', scope: '/subscriptions/s1',
      policyAssignmentId: finding().policyAssignmentId, displayName: 'Storage exemption', expiresOn: '2026-11-08T00:00:00.000Z', requestId: 'req1',
      managed: 'true', detail: 'Expires in 7 days', action: 'notified', firstSeen: '2026-11-01T02:00:00.000Z', lastSeen: '2026-11-01T02:00:00.000Z', isNew: 'true',
      mechanism: 'policy', assignedStandardId: '',
    });
    const second = Object.fromEntries(header.map((name, i) => [name, rows[2]![i]]));
    expect(second).toMatchObject({ threshold: '', policyAssignmentId: '', displayName: '', expiresOn: '', requestId: '', managed: 'false', isNew: 'false' });
  });

  it('names the mechanism: policy when a finding says none (stored before Defender exemptions), standard with its standard', () => {
    const standard = finding({
      subject: '/subscriptions/s1/providers/Microsoft.Security/standardAssignments/5d7f9b1c-3e5a-4c7e-9b1d-3f5a7c9e1b24',
      policyAssignmentId: undefined, mechanism: 'standard', assignedStandardId: '/providers/Microsoft.Security/Standards/e4b6c8d2-3a5f-4b7e-9c1d-2f4a6b8c0d13',
    });
    const rows = parseCsv(findingsCsvHeader() + findingsCsvRows([finding(), standard]));
    const read = rows.slice(1).map((row) => Object.fromEntries(rows[0]!.map((name, i) => [name, row[i]])));
    expect(read.map((r) => [r.mechanism, r.policyAssignmentId === '', r.assignedStandardId])).toEqual([
      ['policy', false, ''],
      ['standard', true, '/providers/Microsoft.Security/Standards/e4b6c8d2-3a5f-4b7e-9c1d-2f4a6b8c0d13'],
    ]);
  });

  it.each([
    ['a comma', 'a, b', 'a, b'],
    ['a quote', 'say "hi"', 'say "hi"'],
    ['a line feed', 'line\nbreak', 'line\nbreak'],
    ['a carriage return inside', 'line\rbreak', 'line\rbreak'],
    ['CRLF', 'a\r\nb', 'a\r\nb'],
  ])('quotes a field holding %s, and it reads back intact', (_label, value, expected) => {
    const text = findingsCsvRows([finding({ displayName: value })]);
    expect(text).toContain(`"${value.replaceAll('"', '""')}"`);
    const [row] = parseCsv(text);
    expect(row).toHaveLength(18);
    expect(row![7]).toBe(expected);
  });

  it('leaves plain text unquoted', () => {
    expect(csvCell('Storage exemption 1')).toBe('Storage exemption 1');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it.each([
    ['=', '=HYPERLINK("http://evil.example","click")'],
    ['+', '+1+cmd|\' /C calc\'!A0'],
    ['-', '-2+3'],
    ['@', '@SUM(A1:A2)'],
    ['tab', '\t=1+1'],
    ['CR', '\r=1+1'],
  ])('turns a cell starting with %s into text with a leading quote', (_label, hostile) => {
    const [row] = parseCsv(findingsCsvRows([finding({ displayName: hostile, detail: hostile, subject: hostile })]));
    for (const cell of [row![3], row![7], row![11]]) expect(cell).toBe(`'${hostile}`);
  });

  it('leaves a formula character that is not first alone', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('2026-11-01T02:00:00.000Z')).toBe('2026-11-01T02:00:00.000Z');
  });

  it('streams the header, then a chunk per non-empty page', async () => {
    async function* pages() {
      yield [finding({ key: '1'.repeat(64) })];
      yield [];
      yield [finding({ key: '2'.repeat(64) }), finding({ key: '3'.repeat(64) })];
    }
    const chunks: string[] = [];
    for await (const chunk of findingsCsv(pages())) chunks.push(chunk);
    expect(chunks).toHaveLength(3);
    expect(parseCsv(chunks.join('')).map((row) => row[0])).toEqual(['key', '1'.repeat(64), '2'.repeat(64), '3'.repeat(64)]);
  });

  it('follows the store\'s continuation tokens to the last page', async () => {
    const calls: (string | undefined)[] = [];
    const store = {
      async runFindings(_runId: string, _filter: object, page: { size: number; continuationToken?: string }) {
        calls.push(page.continuationToken);
        if (!page.continuationToken) return { items: [finding({ key: '1'.repeat(64) })], continuationToken: 'next' };
        return { items: [finding({ key: '2'.repeat(64) })] };
      },
    };
    const body = await findingsCsvBody(runFindingPages(store, 'run-1', {}));
    let text = '';
    for await (const chunk of body) text += new TextDecoder().decode(chunk);
    expect(calls).toEqual([undefined, 'next']);
    expect(parseCsv(text).map((row) => row[0])).toEqual(['key', '1'.repeat(64), '2'.repeat(64)]);
  });

  it('reads the first page before the response starts, so a failing store is an error, not an empty download', async () => {
    const store = { runFindings: async () => { throw new Error('storage down'); } };
    await expect(findingsCsvBody(runFindingPages(store, 'run-1', {}))).rejects.toThrow('storage down');
  });
});
