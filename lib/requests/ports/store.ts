import type { AuditEntry, ExemptionRequest, RequestState } from '../model.js';

export interface Versioned<T> {
  readonly value: T;
  readonly etag: string;
}

export interface RequestFilter {
  readonly state?: RequestState;
  readonly subscriptionId?: string;
  readonly requestedBy?: string;
}

export interface RequestPage {
  readonly items: readonly ExemptionRequest[];
  readonly continuationToken?: string;
}

export type CreateOutcome =
  | { readonly created: true; readonly request: Versioned<ExemptionRequest> }
  | { readonly created: false; readonly existing: ExemptionRequest };

/** Optimistic concurrency lost: somebody changed the request first. */
export class ConcurrencyError extends Error {
  constructor(readonly requestId: string) {
    super(`request ${requestId} was changed by someone else first`);
    this.name = 'ConcurrencyError';
  }
}

/** A single-use review token was presented a second time. */
export class TokenAlreadyUsedError extends Error {
  constructor(readonly requestId: string) {
    super('this review link has already been used');
    this.name = 'TokenAlreadyUsedError';
  }
}

export interface RequestStore {
  /** The most UTF-8 bytes one request's JSON may take; larger requests are refused before any write. */
  readonly maxDocumentBytes: number;
  /** Stores a new request unless an open one with the same dedupe key exists. */
  create(request: ExemptionRequest, audit: AuditEntry): Promise<CreateOutcome>;
  get(id: string): Promise<Versioned<ExemptionRequest> | undefined>;
  /**
   * Replaces the request if its etag still matches, appending the audit entries in the same transaction;
   * `consumeToken` marks a review token as used in that transaction too.
   */
  update(
    request: ExemptionRequest,
    etag: string,
    audit: readonly AuditEntry[],
    options?: { consumeToken?: string },
  ): Promise<Versioned<ExemptionRequest>>;
  isTokenConsumed(requestId: string, tokenId: string): Promise<boolean>;
  list(filter: RequestFilter, page: { size: number; continuationToken?: string }): Promise<RequestPage>;
  auditTrail(id: string): Promise<AuditEntry[]>;
  /** Requests in one of `states` whose last change is older than `updatedBefore` (ISO 8601), at most `limit`. */
  listIdle(states: readonly RequestState[], updatedBefore: string, limit: number): Promise<Versioned<ExemptionRequest>[]>;
}
