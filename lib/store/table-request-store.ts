import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { OPEN_STATES, type AuditEntry, type ExemptionRequest, type RequestState } from '../requests/model.js';
import { openKeysOf } from '../requests/burst.js';
import { isStatus, OpenKeys, type OpenKeyTiming } from './open-keys.js';
import {
  ConcurrencyError, TokenAlreadyUsedError,
  type CreateOutcome, type RequestFilter, type RequestPage, type RequestStore, type Versioned,
} from '../requests/ports/store.js';
import {
  AUDIT_ROW_PREFIX, MAX_DOCUMENT_BYTES, REQUEST_ROW, TOKEN_ROW_PREFIX,
  auditEntity, fromRequestEntity, toRequestEntity, tokenEntity,
} from './table-entities.js';

/**
 * Requests in Azure Table Storage. The open-keys table makes "one open request per resource and
 * recommendation" race-free (see OpenKeys); the key is released when the request leaves the open states.
 */
export class TableRequestStore implements RequestStore {
  readonly maxDocumentBytes = MAX_DOCUMENT_BYTES;
  private readonly keys: OpenKeys;

  constructor(private readonly requests: TableClient, openKeys: TableClient, timing?: OpenKeyTiming) {
    this.keys = new OpenKeys(openKeys, async (id) => (await this.get(id))?.value, timing);
  }

  async create(request: ExemptionRequest, audit: AuditEntry): Promise<CreateOutcome> {
    // Encoding first: a request too large to store is refused before it takes the key.
    const entity = toRequestEntity(request);
    for (let attempt = 0; attempt < 3; attempt++) {
      const claim = await this.keys.claim(request.dedupeKey, request.id);
      if (claim.kind === 'held') return { created: false, existing: claim.request };
      const auditRow = auditEntity(audit, 0);
      const result = await this.requests.submitTransaction([['create', entity], ['create', auditRow]]);
      // Fencing: had we paused longer than the stale wait between the key and this write, a contender
      // may have taken the key over. Nobody has seen this id yet, so then our rows go and theirs stands.
      if (await this.keys.isHeldBy(request.dedupeKey, request.id)) {
        return { created: true, request: await this.versioned(request, result.subResponses[0]?.etag) };
      }
      await this.requests.submitTransaction([
        ['delete', { partitionKey: request.id, rowKey: REQUEST_ROW }],
        ['delete', { partitionKey: request.id, rowKey: auditRow.rowKey }],
      ]);
    }
    throw new Error(`request ${request.id} kept losing its dedupe key to takeovers`);
  }

  async get(id: string): Promise<Versioned<ExemptionRequest> | undefined> {
    try {
      const entity = await this.requests.getEntity<Record<string, unknown>>(id, REQUEST_ROW);
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
    if (!OPEN_STATES.has(request.state)) {
      for (const key of openKeysOf(request)) await this.keys.release(key, request.id);
    }
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
      .listEntities<Record<string, unknown>>({ queryOptions: { filter: clauses.join(' and ') } })
      .byPage({ maxPageSize: page.size, ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) });
    const first = await pages.next();
    if (first.done) return { items: [] };
    const items = first.value.map((entity) => fromRequestEntity(entity));
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

  async listIdle(states: readonly RequestState[], updatedBefore: string, limit: number): Promise<Versioned<ExemptionRequest>[]> {
    if (states.length === 0) return [];
    const anyState = states.map((state) => odata`state eq ${state}`).join(' or ');
    const filter = `${odata`RowKey eq ${REQUEST_ROW}`} and (${anyState}) and ${odata`updatedAt lt ${updatedBefore}`}`;
    const found: Versioned<ExemptionRequest>[] = [];
    for await (const entity of this.requests.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      found.push({ value: fromRequestEntity(entity), etag: entity.etag });
      if (found.length >= limit) break;
    }
    return found;
  }
}
