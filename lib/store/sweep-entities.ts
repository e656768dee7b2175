import { createHash } from 'node:crypto';
import { isRunId, type FindingKind, type SweepFinding, type SweepRun } from '../sweep/model.js';

/**
 * Row layouts of the sweep tables. Runs: partition `run`, row key the run id (newest first as text), plus
 * the lease row. Findings, three kinds of rows:
 * - a run's snapshot (`r-{runId}`): its findings whole, in chunks, row key `{kind}-{hash of the chunk}`;
 * - the ledger of first sightings (`f-{runId}`): the keys of the findings that run saw first, a thousand
 *   to a row, with the time;
 * - the ledger of notices (`k-{subscription}`, row key the finding key): when a finding's notice went out.
 *
 * Why this shape: a first sweep of a large estate finds something about most exemptions. Written a row
 * per finding, that is a hundred thousand writes or more, which took longer than the reading itself;
 * in chunks it is a few rows per page. Later runs add only what is new. The snapshot is only ever read
 * whole or by kind, and the ledger only whole, at the start of a run.
 */
export const RUN_PARTITION = 'run';
export const LEASE_PARTITION = 'lease';
export const LEASE_ROW = 'sweep';
export const LEDGER_PREFIX = 'k-';
export const SNAPSHOT_PREFIX = 'r-';
export const FIRST_SEEN_PREFIX = 'f-';

/** Run ids: lower-case letters, digits and dashes, as the engine mints them; nothing else reaches a table key. */
/** Finding keys: a sha256 in lower-case hex. */
export const FINDING_KEY_PATTERN = /^[0-9a-f]{64}$/;

export { isFindingKind, isRunId, RUN_ID_PATTERN } from '../sweep/model.js';

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A finding's ledger partition: its subscription, or one shared partition for anything else. */
export const ledgerPartition = (subscriptionId: string): string => {
  const id = subscriptionId.toLowerCase();
  return `${LEDGER_PREFIX}${SUBSCRIPTION_ID.test(id) ? id : 'other'}`;
};
export const snapshotPartition = (runId: string): string => `${SNAPSHOT_PREFIX}${runId}`;
export const firstSeenPartition = (runId: string): string => `${FIRST_SEEN_PREFIX}${runId}`;

/** A property holds at most 64 KiB; documents go in binary parts of that size (`doc00`, `doc01`, …). */
const PART_BYTES = 64 * 1024;
/**
 * The largest run document kept whole. The errors (at most 50) are the only part that can grow with
 * input; over this they are clipped. Well under the 1 MiB entity limit even as the emulator counts it
 * (base64 on the wire).
 */
export const MAX_RUN_BYTES = 512 * 1024;
export const MAX_RUN_ERRORS = 50;
export const CLIPPED_ERROR_CHARS = 1_000;
/** A finding quotes ARM text in `detail`; past this the detail and display name are clipped. */
export const MAX_FINDING_BYTES = 60 * 1024;
const CLIPPED_DETAIL_CHARS = 2_000;
const CLIPPED_NAME_CHARS = 512;

const partName = (index: number): `doc${string}` => `doc${String(index).padStart(2, '0')}`;

export type DocParts = { docParts: number; [part: `doc${string}`]: Uint8Array | number };

export function toParts(json: string): DocParts {
  const bytes = Buffer.from(json, 'utf8');
  const parts: DocParts = { docParts: 0 };
  for (let offset = 0; offset < bytes.length; offset += PART_BYTES) {
    parts[partName(parts.docParts)] = new Uint8Array(bytes.subarray(offset, offset + PART_BYTES));
    parts.docParts += 1;
  }
  return parts;
}

export function fromParts(entity: Record<string, unknown>): unknown {
  const text = partsText(entity);
  if (text === undefined) throw new Error('stored sweep row has no whole document');
  return JSON.parse(text);
}

/** The document parts of a row joined as text; undefined when a part is missing or not binary. */
function partsText(entity: Record<string, unknown>): string | undefined {
  const count = entity.docParts;
  if (typeof count !== 'number' || count < 1 || count > 16) return undefined;
  const parts: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    const part = entity[partName(index)];
    if (!(part instanceof Uint8Array)) return undefined;
    parts.push(part);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The run as stored: the whole record in parts, plus status and start time as columns for queries. */
export function runEntity(run: SweepRun) {
  if (!isRunId(run.id)) throw new Error('a sweep run id must be lower-case letters, digits and dashes');
  return { partitionKey: RUN_PARTITION, rowKey: run.id, status: run.status, startedAt: run.startedAt, ...toParts(runJson(run)) };
}

function runJson(run: SweepRun): string {
  const json = JSON.stringify(run);
  if (Buffer.byteLength(json, 'utf8') <= MAX_RUN_BYTES) return json;
  const errors = run.errors.slice(0, MAX_RUN_ERRORS).map((error) => error.length > CLIPPED_ERROR_CHARS ? `${error.slice(0, CLIPPED_ERROR_CHARS)}…` : error);
  const clipped = JSON.stringify({ ...run, errors });
  if (Buffer.byteLength(clipped, 'utf8') > MAX_RUN_BYTES) throw new Error(`sweep run ${run.id} is too large to store even with its errors clipped`);
  return clipped;
}

/** Findings per snapshot row, and the JSON bytes of one: a few rows per page, each well under 1 MiB. */
export const CHUNK_FINDINGS = 250;
export const CHUNK_BYTES = 256 * 1024;
/** Snapshot row keys: the kind, then 32 hex digits naming the chunk's findings. */
export const CHUNK_ROW_PATTERN = /^[a-zA-Z]{1,40}-[0-9a-f]{32}$/;

/**
 * A batch of the run's findings as snapshot rows: per kind, in chunks, each row the findings whole (a
 * JSON array in parts) and its kind as a column. The row key is derived from the chunk's finding keys,
 * so storing the same batch again rewrites the same rows.
 */
export function snapshotEntities(runId: string, findings: readonly SweepFinding[]) {
  type Chunk = { keys: string[]; json: string[]; bytes: number };
  const byKind = new Map<FindingKind, Chunk[]>();
  for (const finding of findings) {
    const json = findingJson(finding);
    const bytes = Buffer.byteLength(json, 'utf8') + 1;
    const chunks = byKind.get(finding.kind) ?? [];
    let last = chunks[chunks.length - 1];
    if (!last || last.keys.length >= CHUNK_FINDINGS || last.bytes + bytes > CHUNK_BYTES) chunks.push((last = { keys: [], json: [], bytes: 2 }));
    last.keys.push(finding.key);
    last.json.push(json);
    last.bytes += bytes;
    byKind.set(finding.kind, chunks);
  }
  return [...byKind.entries()].flatMap(([kind, chunks]) => chunks.map((chunk) => ({
    partitionKey: snapshotPartition(runId),
    rowKey: `${kind}-${createHash('sha256').update(chunk.keys.join(',')).digest('hex').slice(0, 32)}`,
    kind,
    count: chunk.keys.length,
    ...toParts(`[${chunk.json.join(',')}]`),
  })));
}

function findingJson(finding: SweepFinding): string {
  const json = JSON.stringify(finding);
  if (Buffer.byteLength(json, 'utf8') <= MAX_FINDING_BYTES) return json;
  const clip = (text: string | undefined, max: number) => text !== undefined && text.length > max ? `${text.slice(0, max)}…` : text;
  const clipped = JSON.stringify({ ...finding, detail: clip(finding.detail, CLIPPED_DETAIL_CHARS), displayName: clip(finding.displayName, CLIPPED_NAME_CHARS) });
  if (Buffer.byteLength(clipped, 'utf8') > MAX_FINDING_BYTES) throw new Error(`finding ${finding.key} is too large to store`);
  return clipped;
}

/** Actions that mean a notice went out for the finding. */
const NOTICES: ReadonlySet<SweepFinding['action']> = new Set(['notified', 'renewal-offered']);

/** Keys in one first-seen row: 1,000 keys are 65 KB, two document parts. */
export const KEYS_PER_ROW = 1_000;
const KEY_LIST_PATTERN = /^[0-9a-f]{64}(,[0-9a-f]{64})*$/;

/**
 * The ledger's memory of new findings: the keys this run saw first, per kind and first-seen time, a
 * thousand to a row. Only new findings are written, so a run over a quiet estate writes almost nothing
 * here, and a first run writes a few rows per page rather than one per finding.
 */
export function firstSeenEntities(runId: string, findings: readonly SweepFinding[]) {
  const groups = new Map<string, { kind: FindingKind; firstSeen: string; keys: string[] }[]>();
  for (const finding of findings) {
    if (!finding.isNew) continue;
    const group = `${finding.kind}|${finding.firstSeen}`;
    const chunks = groups.get(group) ?? [];
    let last = chunks[chunks.length - 1];
    if (!last || last.keys.length >= KEYS_PER_ROW) chunks.push((last = { kind: finding.kind, firstSeen: finding.firstSeen, keys: [] }));
    last.keys.push(finding.key);
    groups.set(group, chunks);
  }
  return [...groups.values()].flat().map(({ kind, firstSeen, keys }) => ({
    partitionKey: firstSeenPartition(runId),
    rowKey: `${kind}-${createHash('sha256').update(`${firstSeen}|${keys.join(',')}`).digest('hex').slice(0, 32)}`,
    kind,
    firstSeen,
    count: keys.length,
    ...toParts(keys.join(',')),
  }));
}

/** The keys of a first-seen row; a row that is not one yields none. */
export function firstSeenKeys(entity: Record<string, unknown>): string[] {
  const keys = partsText(entity);
  return keys !== undefined && KEY_LIST_PATTERN.test(keys) ? keys.split(',') : [];
}

/**
 * The ledger row of a finding whose notice went out in this run, merged into any earlier one: it is
 * what keeps a later run from sending the same notice again.
 */
export function noticeEntity(runId: string, finding: SweepFinding) {
  if (!NOTICES.has(finding.action)) return undefined;
  return {
    partitionKey: ledgerPartition(finding.subscriptionId),
    rowKey: finding.key,
    kind: finding.kind,
    firstSeen: finding.firstSeen,
    noticedAt: finding.lastSeen,
    lastRunId: runId,
  };
}

/** Bytes an entity adds to a batch request, roughly and on the high side (binary travels as base64). */
export function approximateWireBytes(entity: Record<string, unknown>): number {
  let bytes = 200;
  for (const [name, value] of Object.entries(entity)) {
    bytes += name.length + 16;
    if (typeof value === 'string') bytes += value.length * 3;
    else if (value instanceof Uint8Array) bytes += Math.ceil(value.length / 3) * 4;
    else bytes += 32;
  }
  return bytes;
}
