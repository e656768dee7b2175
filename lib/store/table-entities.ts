import { randomBytes } from 'node:crypto';
import type { AuditEntry, ExemptionRequest } from '../requests/model.js';

/** Row keys inside a request's partition: the request itself, its audit entries and used tokens. */
export const REQUEST_ROW = 'request';
export const AUDIT_ROW_PREFIX = 'audit-';
export const TOKEN_ROW_PREFIX = 'token-';

/**
 * Table Storage limits (learn.microsoft.com, "Understanding the Table service data model"): a property
 * holds at most 64 KiB, an entity at most 1 MiB, counted as 4 bytes + 2 per key character + for each
 * property 8 bytes + 2 per name character + the value (strings 4 + 2 per UTF-16 unit, binary 4 + length).
 */
export const MAX_PROPERTY_BYTES = 64 * 1024;
export const MAX_ENTITY_BYTES = 1024 * 1024;

/**
 * The request document is UTF-8 JSON cut into binary properties `doc00`, `doc01`, …: the service counts
 * binary at one byte per ASCII character where a string costs two. The storage emulator instead
 * measures the entity as JSON on the wire, where binary is base64 (4 bytes per 3); the document limit
 * keeps to the stricter of the two, with room for the keys, query columns and part names (a test adds
 * both up for the largest request).
 */
export const DOCUMENT_PART_BYTES = MAX_PROPERTY_BYTES;
export const MAX_DOCUMENT_BYTES = 760 * 1024;

const partName = (index: number): `doc${string}` => `doc${String(index).padStart(2, '0')}`;

export type RequestEntity = {
  partitionKey: string;
  rowKey: string;
  state: string;
  subscriptionId: string;
  requestedBy: string;
  createdAt: string;
  /** Queried by the stuck-request timer: when the request last changed. */
  updatedAt: string;
  docParts: number;
  [part: `doc${string}`]: Uint8Array | number;
};

/** A request whose document would not fit in one entity; nothing was written. */
export class DocumentTooLargeError extends Error {
  constructor(readonly requestId: string, readonly bytes: number) {
    super(`request ${requestId} is ${bytes} bytes as JSON; a stored request holds at most ${MAX_DOCUMENT_BYTES}`);
    this.name = 'DocumentTooLargeError';
  }
}

export function documentBytes(request: ExemptionRequest): number {
  return Buffer.byteLength(JSON.stringify(request), 'utf8');
}

export function toRequestEntity(request: ExemptionRequest): RequestEntity {
  const json = Buffer.from(JSON.stringify(request), 'utf8');
  if (json.length > MAX_DOCUMENT_BYTES) throw new DocumentTooLargeError(request.id, json.length);
  const entity: RequestEntity = {
    partitionKey: request.id,
    rowKey: REQUEST_ROW,
    state: request.state,
    subscriptionId: request.subscriptionId.toLowerCase(),
    requestedBy: request.requestedBy.toLowerCase(),
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    docParts: 0,
  };
  for (let offset = 0; offset < json.length; offset += DOCUMENT_PART_BYTES) {
    entity[partName(entity.docParts)] = new Uint8Array(json.subarray(offset, offset + DOCUMENT_PART_BYTES));
    entity.docParts += 1;
  }
  return entity;
}

/** Reads both layouts: parts, and the single `document` string that rows written before parts carry. */
export function fromRequestEntity(entity: Record<string, unknown>): ExemptionRequest {
  if (typeof entity.document === 'string') return JSON.parse(entity.document) as ExemptionRequest;
  const count = entity.docParts;
  if (typeof count !== 'number' || count < 1) throw new Error('stored request has no document');
  const parts: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    const part = entity[partName(index)];
    if (!(part instanceof Uint8Array)) throw new Error(`stored request lacks document part ${index}`);
    parts.push(part);
  }
  return JSON.parse(Buffer.concat(parts).toString('utf8')) as ExemptionRequest;
}

/** The entity's size as Table Storage counts it (Timestamp included), to check the layout against the limit. */
export function entitySizeBytes(entity: Record<string, unknown>): number {
  let size = 4 + (String(entity.partitionKey).length + String(entity.rowKey).length) * 2;
  const properties: [string, unknown][] = [...Object.entries(entity), ['Timestamp', new Date()]];
  for (const [name, value] of properties) {
    if (name === 'partitionKey' || name === 'rowKey') continue;
    size += 8 + name.length * 2 + valueBytes(value);
  }
  return size;
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return 4 + value.length * 2;
  if (value instanceof Uint8Array) return 4 + value.length;
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 4 : 8;
  if (typeof value === 'boolean') return 1;
  if (value instanceof Date) return 8;
  throw new Error(`no size rule for ${typeof value}`);
}

/**
 * Audit row keys sort in the order entries were written: by time, then by position within one write;
 * the random tail keeps two instances writing in the same millisecond from colliding.
 */
export function auditEntity(entry: AuditEntry, position: number) {
  return {
    partitionKey: entry.requestId,
    rowKey: `${AUDIT_ROW_PREFIX}${entry.at}-${position}-${randomBytes(4).toString('hex')}`,
    document: JSON.stringify(entry),
  };
}

export function tokenEntity(requestId: string, tokenId: string, at: string) {
  return { partitionKey: requestId, rowKey: `${TOKEN_ROW_PREFIX}${tokenId}`, usedAt: at };
}
