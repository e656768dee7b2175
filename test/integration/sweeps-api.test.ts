import { checkReportToken } from '../../lib/web/report-link.js';
import { createHash } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { TableSweepStore } from '../../lib/store/table-sweep-store.js';
import { FINDING_KINDS, type FindingKind, type SweepFinding, type SweepRun } from '../../lib/sweep/model.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';

let app: AppUnderTest;
let store: TableSweepStore;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest();
  const client = (name: string) => TableClient.fromConnectionString(app.azurite.connectionString, name, { allowInsecureConnection: true });
  const runs = client(STORAGE_NAMES.sweepRunsTable);
  const findings = client(STORAGE_NAMES.sweepFindingsTable);
  await Promise.all([runs.createTable(), findings.createTable()]);
  store = new TableSweepStore(runs, findings);
});
afterAll(async () => app?.close());

const OLDER = '8000000000000-aaaa';
const NEWER = '7999999999999-bbbb';

const run = (id: string, overrides: Partial<SweepRun> = {}): SweepRun => ({
  id, trigger: 'timer', dryRun: false, scope: { managementGroups: [], subscriptions: [] }, status: 'succeeded',
  startedAt: '2026-11-01T02:00:00.000Z', finishedAt: '2026-11-01T02:10:00.000Z', durationMs: 600_000,
  counts: { exemptions: 10, assessments: 20, subscriptions: 2, findings: 3, newFindings: 1, byKind: { expired: 2 } },
  calls: { resourceGraphQueries: 3, armCalls: 4, throttled: 0, waitedMs: 0 },
  expiringPerWeek: Array.from({ length: 13 }, () => 0), errors: [],
  ...overrides,
});

const finding = (kind: FindingKind, n: number, overrides: Partial<SweepFinding> = {}): SweepFinding => {
  const subject = `/subscriptions/s${n}/providers/Microsoft.Authorization/policyExemptions/ex${n}`;
  return {
    key: createHash('sha256').update(`${kind}|${subject}|`).digest('hex'), kind, threshold: '', subject,
    subscriptionId: `s${n}`, scope: `/subscriptions/s${n}`, policyAssignmentId: undefined, displayName: `exemption ${n}`,
    expiresOn: undefined, requestId: undefined, managed: false, detail: `finding ${n}`, action: 'none',
    firstSeen: '2026-11-01T02:00:00.000Z', lastSeen: '2026-11-01T02:00:00.000Z', isNew: true,
    ...overrides,
  };
};

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const match of text.matchAll(/((?:"(?:[^"]|"")*"|[^",\r\n]*)(?:,(?:"(?:[^"]|"")*"|[^",\r\n]*))*)\r\n/g)) {
    const cells = [...match[1]!.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^",\r\n]*)/g)].map((m) => m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replaceAll('""', '"') : m[1]!);
    rows.push(cells);
  }
  expect(rows.map((row) => row.length)).toEqual(rows.map(() => 18));
  return rows;
}

function expectProblemNaming(response: { status: number; headers: Headers; json: any }, status: number, field: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.json.errors.map((e: { field: string }) => e.field)).toEqual([field]);
}

describe('GET /api/sweeps/latest and /api/sweeps/{id}', () => {
  it('answers 404 problem when no sweep has run', async () => {
    const response = await app.get('/api/sweeps/latest');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('serves the newest run with its links, and any run by id', async () => {
    const older = run(OLDER, { startedAt: '2026-10-31T02:00:00.000Z' });
    const newer = run(NEWER, { status: 'running', finishedAt: undefined, durationMs: undefined });
    await store.saveRun(older);
    await store.saveRun(newer);
    const base = app.env.PUBLIC_BASE_URL;
    const latest = await app.get('/api/sweeps/latest');
    expect(latest.status).toBe(200);
    expect(latest.headers.get('content-type')).toBe('application/json');
    const { links, ...record } = latest.json;
    expect(record).toEqual(JSON.parse(JSON.stringify(newer)));
    expect(links).toMatchObject({ self: `${base}/api/sweeps/${NEWER}`, findingsCsv: `${base}/api/sweeps/${NEWER}/findings.csv` });
    // The report link is signed for this run alone, and it opens the report page without a function key.
    expect(links.report).toMatch(new RegExp(`^${base}/api/sweeps/${NEWER}/report\\?t=`));
    const token = new URL(links.report).searchParams.get('t')!;
    expect(checkReportToken(app.env.REVIEW_SIGNING_KEY!, token, new Date())).toMatchObject({ ok: true, claims: { runId: NEWER } });
    const page = await fetch(links.report);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain(NEWER);
    const forged = await fetch(links.report.replace(NEWER, OLDER));
    expect(forged.status).toBe(403);
    const byId = await app.get(`/api/sweeps/${OLDER}`);
    expect(byId.status).toBe(200);
    const { links: olderLinks, ...olderRecord } = byId.json;
    expect(olderRecord).toEqual(older);
    expect(olderLinks.self).toBe(`${base}/api/sweeps/${OLDER}`);
  });

  it('answers an unknown run with 404 problem', async () => {
    const response = await app.get('/api/sweeps/1234567890123-zzzz');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it.each([
    ['upper case', 'RUN-A'],
    ['an OData quote', "x'%20or%20'a'%20eq%20'a"],
    ['a NUL', 'a%00b'],
    ['a hash', 'a%23b'],
    ['too long', 'a'.repeat(65)],
  ])('answers a run id with %s with 400 naming id', async (_label, id) => {
    expectProblemNaming(await app.get(`/api/sweeps/${id}`), 400, 'id');
    expectProblemNaming(await app.get(`/api/sweeps/${id}/findings.csv`), 400, 'id');
  });
});

describe('GET /api/sweeps/{id}/findings.csv', () => {
  const RUN = '7000000000000-cccc';
  const findings = Array.from({ length: 2_300 }, (_, n) => finding(FINDING_KINDS[n % FINDING_KINDS.length]!, n,
    n === 7 ? { displayName: '=HYPERLINK("http://evil.example","x")', detail: 'line one\r\nline, two' } : {}));

  beforeAll(async () => {
    await store.saveRun(run(RUN));
    for (let start = 0; start < findings.length; start += 1_000) await store.saveFindings(RUN, findings.slice(start, start + 1_000));
  });

  it('downloads every finding of the run across store pages, as an attachment', async () => {
    const response = await fetch(`${app.baseUrl}/api/sweeps/${RUN}/findings.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="sweep-${RUN}-findings.csv"`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const rows = parseCsv(await response.text());
    expect(rows[0]![0]).toBe('key');
    const keys = rows.slice(1).map((row) => row[0]);
    expect(keys).toHaveLength(findings.length);
    expect([...keys].sort()).toEqual(findings.map((f) => f.key).sort());
    const hostile = rows.find((row) => row[0] === findings[7]!.key)!;
    expect(hostile[7]).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(hostile[11]).toBe('line one\r\nline, two');
  });

  it('filters by kind', async () => {
    const response = await fetch(`${app.baseUrl}/api/sweeps/${RUN}/findings.csv?kind=expired`);
    expect(response.status).toBe(200);
    const rows = parseCsv(await response.text()).slice(1);
    expect(rows.map((row) => row[0]).sort()).toEqual(findings.filter((f) => f.kind === 'expired').map((f) => f.key).sort());
    expect(new Set(rows.map((row) => row[1]))).toEqual(new Set(['expired']));
  });

  it('answers a run without findings with the header alone', async () => {
    const response = await fetch(`${app.baseUrl}/api/sweeps/${OLDER}/findings.csv`);
    expect(response.status).toBe(200);
    expect(parseCsv(await response.text())).toHaveLength(1);
  });

  it.each([
    ['an unknown kind', 'kind=bogus'],
    ['a kind given twice', 'kind=expired&kind=stuck'],
    ['an empty kind', 'kind='],
  ])('answers %s with 400 naming kind', async (_label, query) => {
    expectProblemNaming(await app.get(`/api/sweeps/${RUN}/findings.csv?${query}`), 400, 'kind');
  });

  it('answers an unknown run with 404 problem', async () => {
    const response = await app.get('/api/sweeps/1234567890123-zzzz/findings.csv');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
