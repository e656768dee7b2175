import { inParallel } from '../core/in-parallel.js';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { systemClock, type Clock } from '../core/clock.js';
import type { SweepFinding, SweepRun } from '../sweep/model.js';
import type { FindingsFilter, FindingsPage, KnownFinding, SweepStore } from '../sweep/ports/sweep-store.js';
import { isStatus } from './open-keys.js';
import { claimRow } from './row-claim.js';
import {
  FINDING_KEY_PATTERN, FIRST_SEEN_PREFIX, LEASE_PARTITION, LEASE_ROW, LEDGER_PREFIX, RUN_PARTITION,
  approximateWireBytes, CHUNK_FINDINGS, CHUNK_ROW_PATTERN, firstSeenEntities, firstSeenKeys, fromParts, isFindingKind, isRunId, noticeEntity, runEntity, snapshotEntities, snapshotPartition,
} from './sweep-entities.js';

/** An entity-group transaction holds at most 100 operations and 4 MiB; we stay well inside both. */
export const MAX_TRANSACTION_OPERATIONS = 100;
const MAX_TRANSACTION_BYTES = 2 * 1024 * 1024;
/** Transactions in flight at once while saving a page of findings. */
export const SAVE_CONCURRENCY = 8;
export const MAX_FINDINGS_PAGE = 1_000;
/** Snapshot rows asked for at once: each holds up to CHUNK_FINDINGS findings. */
const CHUNK_ROWS_PER_READ = 8;

/** A findings continuation token that this store did not hand out for this run. */
export class InvalidFindingsTokenError extends Error {
  constructor() {
    super('not a continuation token for this run\'s findings');
    this.name = 'InvalidFindingsTokenError';
  }
}

type LeaseEntity = { holder: string; until: string };

/**
 * Sweep runs and findings in Azure Table Storage (see sweep-entities.ts for the layout). The lease row
 * keeps sweeps one at a time: created by the first, taken over only once expired, and then under its
 * ETag, so of two contenders exactly one wins.
 */
export class TableSweepStore implements SweepStore {
  constructor(
    private readonly runs: TableClient,
    private readonly findings: TableClient,
    private readonly clock: Clock = systemClock,
  ) {}

  async acquireLease(runId: string, until: string): Promise<boolean> {
    if (!isRunId(runId)) throw new Error('a sweep run id must be lower-case letters, digits and dashes');
    const row = { partitionKey: LEASE_PARTITION, rowKey: LEASE_ROW, holder: runId, until };
    return claimRow<LeaseEntity>(this.runs, row, (held) => held.holder !== runId && Date.parse(held.until ?? '') > this.clock.now().getTime());
  }

  async releaseLease(runId: string): Promise<void> {
    try {
      const held = await this.runs.getEntity<LeaseEntity>(LEASE_PARTITION, LEASE_ROW);
      if (held.holder !== runId) return;
      await this.runs.deleteEntity(LEASE_PARTITION, LEASE_ROW, { etag: held.etag });
    } catch (error) {
      // Gone already, or taken over after it expired: either way no longer ours to release.
      if (isStatus(error, 404) || isStatus(error, 412)) return;
      throw error;
    }
  }

  async saveRun(run: SweepRun): Promise<void> {
    await this.runs.upsertEntity(runEntity(run), 'Replace');
  }

  async getRun(id: string): Promise<SweepRun | undefined> {
    if (!isRunId(id)) return undefined;
    try {
      return fromParts(await this.runs.getEntity<Record<string, unknown>>(RUN_PARTITION, id)) as SweepRun;
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async latestRun(): Promise<SweepRun | undefined> {
    const pages = this.runs
      .listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${RUN_PARTITION}` } })
      .byPage({ maxPageSize: 1 });
    // The service may answer a page with no rows and a continuation token; keep asking until a row comes.
    for await (const page of pages) {
      const first = page[0];
      if (first) return fromParts(first) as SweepRun;
    }
    return undefined;
  }

  /**
   * Every finding an earlier run recorded: the first-seen rows, with the notices merged in. Notices
   * are few (managed exemptions only) and read first; a notice whose first-seen row is missing (its
   * run failed half-way) still counts, so its notice is never sent twice.
   */
  async *knownFindings(): AsyncIterable<KnownFinding> {
    const notices = new Map<string, KnownFinding & { noticedAt: string }>();
    const noticeRows = this.findings.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey ge ${LEDGER_PREFIX} and PartitionKey lt ${'k.'}`, select: ['RowKey', 'kind', 'firstSeen', 'noticedAt'] },
    });
    for await (const row of noticeRows) {
      const { rowKey: key, kind, firstSeen, noticedAt } = row;
      if (typeof key !== 'string' || !FINDING_KEY_PATTERN.test(key) || !isFindingKind(kind) || typeof noticedAt !== 'string') continue;
      notices.set(key, { key, kind, firstSeen: typeof firstSeen === 'string' ? firstSeen : noticedAt, noticedAt });
    }
    const firstSeenRows = this.findings.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey ge ${FIRST_SEEN_PREFIX} and PartitionKey lt ${'f.'}` },
    });
    const told = new Set<string>();
    for await (const row of firstSeenRows) {
      const { kind, firstSeen } = row;
      if (!isFindingKind(kind) || typeof firstSeen !== 'string') continue;
      for (const key of firstSeenKeys(row)) {
        const notice = notices.get(key);
        if (notice) told.add(key);
        yield { key, kind, firstSeen, ...(notice ? { noticedAt: notice.noticedAt } : {}) };
      }
    }
    for (const [key, notice] of notices) if (!told.has(key)) yield notice;
  }

  async saveFindings(runId: string, findings: readonly SweepFinding[]): Promise<void> {
    if (!isRunId(runId)) throw new Error('a sweep run id must be lower-case letters, digits and dashes');
    const byPartition = new Map<string, TransactionAction[]>();
    const add = (partition: string, action: TransactionAction) => {
      const actions = byPartition.get(partition) ?? [];
      actions.push(action);
      byPartition.set(partition, actions);
    };
    const unique = new Map<string, SweepFinding>();
    for (const finding of findings) {
      if (!FINDING_KEY_PATTERN.test(finding.key)) throw new Error('a finding key must be a sha256 in lower-case hex');
      if (!isFindingKind(finding.kind)) throw new Error(`unknown finding kind for ${finding.key}`);
      // A row may appear only once in a transaction; a repeat within a page is the same finding.
      if (!unique.has(finding.key)) unique.set(finding.key, finding);
    }
    const page = [...unique.values()];
    for (const row of [...snapshotEntities(runId, page), ...firstSeenEntities(runId, page)]) add(row.partitionKey, ['upsert', row, 'Replace']);
    for (const finding of page) {
      const notice = noticeEntity(runId, finding);
      if (notice) add(notice.partitionKey, ['upsert', notice, 'Merge']);
    }
    const batches = [...byPartition.values()].flatMap(transactions);
    await inParallel(batches, SAVE_CONCURRENCY, (batch) => this.findings.submitTransaction(batch));
  }

  async runFindings(runId: string, filter: FindingsFilter, page: { size: number; continuationToken?: string }): Promise<FindingsPage> {
    if (!isRunId(runId)) return { items: [] };
    if (filter.kind !== undefined && !isFindingKind(filter.kind)) return { items: [] };
    const partition = snapshotPartition(runId);
    const size = Math.max(1, Math.min(MAX_FINDINGS_PAGE, Math.floor(page.size) || MAX_FINDINGS_PAGE));
    const from = page.continuationToken === undefined ? undefined : openToken(page.continuationToken, partition);
    // Row keys start with the kind, so one kind is a row key range.
    const clauses = [odata`PartitionKey eq ${partition}`];
    if (filter.kind) clauses.push(odata`RowKey gt ${`${filter.kind}-`}`, odata`RowKey lt ${`${filter.kind}.`}`);
    if (from) clauses.push(odata`RowKey ge ${from.row}`);
    const rows = this.findings
      .listEntities<Record<string, unknown>>({ queryOptions: { filter: clauses.join(' and ') } })
      .byPage({ maxPageSize: CHUNK_ROWS_PER_READ });
    const items: SweepFinding[] = [];
    for await (const chunkRows of rows) {
      for (const row of chunkRows) {
        const rowKey = String(row.rowKey);
        const chunk = fromParts(row) as SweepFinding[];
        const skip = from && rowKey === from.row ? from.offset : 0;
        const wanted = chunk.slice(skip, skip + size - items.length);
        items.push(...wanted);
        // A page that ends exactly at the last row still gets a token; the page after it is empty.
        if (items.length === size) return { items, continuationToken: sealToken(partition, rowKey, skip + wanted.length) };
      }
    }
    return { items };
  }
}

/**
 * Our token names the run's partition and where to go on (a chunk row and an offset in it), in
 * base64url: one issued for another run, or made up, is refused rather than turned into a query.
 */
function sealToken(partition: string, row: string, offset: number): string {
  return Buffer.from(JSON.stringify({ p: partition, r: row, o: offset })).toString('base64url');
}

function openToken(token: string, partition: string): { row: string; offset: number } {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(token)) throw new InvalidFindingsTokenError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidFindingsTokenError();
  }
  const { p, r, o, ...rest } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (p !== partition || typeof r !== 'string' || !CHUNK_ROW_PATTERN.test(r) || !Number.isInteger(o) || (o as number) < 0 || (o as number) > CHUNK_FINDINGS || Object.keys(rest).length > 0) {
    throw new InvalidFindingsTokenError();
  }
  return { row: r as string, offset: o as number };
}

/** One partition's actions cut into transactions within the operation and size limits. */
function transactions(actions: readonly TransactionAction[]): TransactionAction[][] {
  const batches: TransactionAction[][] = [];
  let current: TransactionAction[] = [];
  let bytes = 0;
  for (const action of actions) {
    const size = approximateWireBytes(action[1] as Record<string, unknown>);
    if (current.length > 0 && (current.length >= MAX_TRANSACTION_OPERATIONS || bytes + size > MAX_TRANSACTION_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(action);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
