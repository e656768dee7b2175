import { isRestError } from '@azure/core-rest-pipeline';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { OPEN_STATES, type AuditEntry, type ExemptionRequest } from '../requests/model.js';
import {
  ConcurrencyError, TokenAlreadyUsedError,
  type CreateOutcome, type RequestFilter, type RequestPage, type RequestStore, type Versioned,
} from '../requests/ports/store.js';
import {
  AUDIT_ROW_PREFIX, REQUEST_ROW, TOKEN_ROW_PREFIX,
  auditEntity, fromRequestEntity, toRequestEntity, tokenEntity,
} from './table-entities.js';

const OPEN_KEY_ROW = 'open';

/**
 * Requests in Azure Table Storage. The open-key table makes "one open request per resource and
 * recommendation" race-free: creating the key entity is the lock, and it is released when the request
 * leaves the open states.
 */
export class TableRequestStore implements RequestStore {
  constructor(private readonly requests: TableClient, private readonly openKeys: TableClient) {}

  async create(request: ExemptionRequest, audit: AuditEntry): Promise<CreateOutcome> {
    try {
      await this.openKeys.createEntity({ partitionKey: request.dedupeKey, rowKey: OPEN_KEY_ROW, requestId: request.id });
    } catch (error) {
      if (!isStatus(error, 409)) throw error;
      const existing = await this.openRequestFor(request.dedupeKey);
      if (existing) return { created: false, existing };
      // The key outlived its request (a crash between writes): take it over.
      await this.openKeys.upsertEntity({ partitionKey: request.dedupeKey, rowKey: OPEN_KEY_ROW, requestId: request.id }, 'Replace');
    }
    const actions: TransactionAction[] = [
      ['create', toRequestEntity(request)],
      ['create', auditEntity(audit, 0)],
    ];
    const result = await this.requests.submitTransaction(actions);
    return { created: true, request: await this.versioned(request, result.subResponses[0]?.etag) };
  }

  async get(id: string): Promise<Versioned<ExemptionRequest> | undefined> {
    try {
      const entity = await this.requests.getEntity<{ document: string }>(id, REQUEST_ROW);
      return { value: fromRequestEntity(entity), etag: entity.etag };
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async update(
    request: ExemptionRequest,
    etag: string,
    audit: readonly AuditEntry[],
    options: { consumeToken?: string } = {},
  ): Promise<Versioned<ExemptionRequest>> {
    const actions: TransactionAction[] = [['update', toRequestEntity(request), 'Replace', { etag }]];
    audit.forEach((entry, position) => actions.push(['create', auditEntity(entry, position)]));
    if (options.consumeToken) actions.push(['create', tokenEntity(request.id, options.consumeToken, request.updatedAt)]);
    let result;
    try {
      result = await this.requests.submitTransaction(actions);
    } catch (error) {
      if (isStatus(error, 412)) throw new ConcurrencyError(request.id);
      if (isStatus(error, 409) && options.consumeToken) throw new TokenAlreadyUsedError(request.id);
      throw error;
    }
    if (!OPEN_STATES.has(request.state)) await this.releaseOpenKey(request);
    return this.versioned(request, result.subResponses[0]?.etag);
  }

  /** The transaction's answer carries the request row's new ETag; read it back only if it did not. */
  private async versioned(request: ExemptionRequest, etag: string | undefined): Promise<Versioned<ExemptionRequest>> {
    if (etag) return { value: request, etag };
    const stored = await this.get(request.id);
    if (!stored) throw new Error(`request ${request.id} vanished after a write`);
    return stored;
  }

  async isTokenConsumed(requestId: string, tokenId: string): Promise<boolean> {
    try {
      await this.requests.getEntity(requestId, `${TOKEN_ROW_PREFIX}${tokenId}`);
      return true;
    } catch (error) {
      if (isStatus(error, 404)) return false;
      throw error;
    }
  }

  async list(filter: RequestFilter, page: { size: number; continuationToken?: string }): Promise<RequestPage> {
    const clauses = [odata`RowKey eq ${REQUEST_ROW}`];
    if (filter.state) clauses.push(odata`state eq ${filter.state}`);
    if (filter.subscriptionId) clauses.push(odata`subscriptionId eq ${filter.subscriptionId.toLowerCase()}`);
    if (filter.requestedBy) clauses.push(odata`requestedBy eq ${filter.requestedBy.toLowerCase()}`);
    const pages = this.requests
      .listEntities<{ document: string }>({ queryOptions: { filter: clauses.join(' and ') } })
      .byPage({ maxPageSize: page.size, ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) });
    const first = await pages.next();
    if (first.done) return { items: [] };
    const items = first.value.map(fromRequestEntity);
    return first.value.continuationToken ? { items, continuationToken: first.value.continuationToken } : { items };
  }

  async auditTrail(id: string): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    const filter = odata`PartitionKey eq ${id} and RowKey ge ${AUDIT_ROW_PREFIX} and RowKey lt ${'audit.'}`;
    for await (const entity of this.requests.listEntities<{ document: string }>({ queryOptions: { filter } })) {
      entries.push(JSON.parse(entity.document) as AuditEntry);
    }
    return entries;
  }

  private async openRequestFor(dedupeKey: string): Promise<ExemptionRequest | undefined> {
    try {
      const key = await this.openKeys.getEntity<{ requestId: string }>(dedupeKey, OPEN_KEY_ROW);
      const request = await this.get(key.requestId);
      return request && OPEN_STATES.has(request.value.state) ? request.value : undefined;
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  private async releaseOpenKey(request: ExemptionRequest): Promise<void> {
    try {
      const key = await this.openKeys.getEntity<{ requestId: string }>(request.dedupeKey, OPEN_KEY_ROW);
      if (key.requestId === request.id) await this.openKeys.deleteEntity(request.dedupeKey, OPEN_KEY_ROW, { etag: key.etag });
    } catch (error) {
      if (!isStatus(error, 404) && !isStatus(error, 412)) throw error;
    }
  }
}

function isStatus(error: unknown, status: number): boolean {
  return isRestError(error) && error.statusCode === status;
}
