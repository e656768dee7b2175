import { randomBytes } from 'node:crypto';
import type { AuditEntry, ExemptionRequest } from '../requests/model.js';

/** Row keys inside a request's partition: the request itself, its audit entries and used tokens. */
export const REQUEST_ROW = 'request';
export const AUDIT_ROW_PREFIX = 'audit-';
export const TOKEN_ROW_PREFIX = 'token-';

export type RequestEntity = {
  partitionKey: string;
  rowKey: string;
  state: string;
  subscriptionId: string;
  requestedBy: string;
  createdAt: string;
  /** The whole request as JSON: nested shapes do not map onto table columns. */
  document: string;
};

export function toRequestEntity(request: ExemptionRequest): RequestEntity {
  return {
    partitionKey: request.id,
    rowKey: REQUEST_ROW,
    state: request.state,
    subscriptionId: request.subscriptionId.toLowerCase(),
    requestedBy: request.requestedBy.toLowerCase(),
    createdAt: request.createdAt,
    document: JSON.stringify(request),
  };
}

export function fromRequestEntity(entity: { document?: unknown }): ExemptionRequest {
  if (typeof entity.document !== 'string') throw new Error('stored request has no document');
  return JSON.parse(entity.document) as ExemptionRequest;
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
