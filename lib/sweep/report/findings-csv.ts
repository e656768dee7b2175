import type { SweepFinding } from '../model.js';
import type { FindingsFilter, SweepStore } from '../ports/sweep-store.js';

/** The store's largest page. */
const FINDINGS_PAGE_SIZE = 1_000;

/**
 * Findings as RFC 4180 CSV: CRLF line ends, a header row, a field quoted when it holds `"`, `,`, CR or
 * LF (quotes doubled inside). Most values come from ARM and anyone who can write an exemption chooses
 * them, so a cell a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, tab or CR)
 * gets a leading `'` and stays text.
 */
export const FINDINGS_CSV_COLUMNS = [
  'key', 'kind', 'threshold', 'subject', 'subscriptionId', 'scope', 'policyAssignmentId', 'displayName', 'expiresOn',
  'requestId', 'managed', 'detail', 'action', 'firstSeen', 'lastSeen', 'isNew',
  // Added with Defender exemptions, last, so that readers going by position keep working.
  'mechanism', 'assignedStandardId',
] as const satisfies readonly (keyof SweepFinding)[];

const LINE_END = '\r\n';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | boolean | undefined): string {
  if (value === undefined) return '';
  let text = typeof value === 'boolean' ? String(value) : value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function findingsCsvHeader(): string {
  return `${FINDINGS_CSV_COLUMNS.join(',')}${LINE_END}`;
}

/** `mechanism` is spelled out: findings stored before Defender exemptions were swept carry none, and are policy exemptions. */
function cellOf(finding: SweepFinding, column: (typeof FINDINGS_CSV_COLUMNS)[number]): string | boolean | undefined {
  return column === 'mechanism' ? (finding.mechanism ?? 'policy') : finding[column];
}

/** One CRLF-terminated line per finding, in the header's column order. */
export function findingsCsvRows(findings: Iterable<SweepFinding>): string {
  let out = '';
  for (const finding of findings) out += `${FINDINGS_CSV_COLUMNS.map((column) => csvCell(cellOf(finding, column))).join(',')}${LINE_END}`;
  return out;
}

/** The whole document from pages of findings, the header first, one chunk per page. */
export async function* findingsCsv(pages: AsyncIterable<readonly SweepFinding[]>): AsyncGenerator<string> {
  yield findingsCsvHeader();
  for await (const page of pages) if (page.length > 0) yield findingsCsvRows(page);
}

/** Findings per store page, the largest the store serves, following continuation tokens to the end. */
export async function* runFindingPages(store: Pick<SweepStore, 'runFindings'>, runId: string, filter: FindingsFilter): AsyncGenerator<readonly SweepFinding[]> {
  let continuationToken: string | undefined;
  do {
    const page = await store.runFindings(runId, filter, { size: FINDINGS_PAGE_SIZE, ...(continuationToken ? { continuationToken } : {}) });
    yield page.items;
    continuationToken = page.continuationToken;
  } while (continuationToken);
}

/**
 * The CSV as UTF-8 chunks for a streamed response. The first page is read before this resolves, so a
 * store that fails at once still gets an error status; a failure later cuts the download short.
 */
export async function findingsCsvBody(pages: AsyncIterable<readonly SweepFinding[]>): Promise<AsyncIterable<Uint8Array>> {
  const encoder = new TextEncoder();
  const chunks = findingsCsv(pages)[Symbol.asyncIterator]();
  const header = await chunks.next();
  const first = await chunks.next();
  return (async function* () {
    if (!header.done) yield encoder.encode(header.value);
    if (first.done) return;
    yield encoder.encode(first.value);
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield encoder.encode(next.value);
  })();
}
