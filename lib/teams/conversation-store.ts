import { createHash } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { canonicalIdentity } from '../requests/identity.js';
import { isStatus } from '../store/open-keys.js';

/** Where the bot can post: captured from Teams' installationUpdate, the only time Teams tells us. */
export interface ConversationRef {
  readonly conversationId: string;
  /** The connector URL Teams gave with the installation (checked against its signed token by the SDK). */
  readonly serviceUrl: string;
  readonly tenantId?: string;
  readonly teamId?: string;
  /** Who installed it (Entra object id). */
  readonly installedBy: string;
  readonly installedAt: string;
}

type Kind = 'channel' | 'personal';

/**
 * Conversation references in one table: partition "channel" keyed by channel conversation id, partition
 * "personal" keyed by the installer's Entra object id (their 1:1 chat with the bot), and partition
 * "identity" from the installer's e-mail and UPN (hashed: canonical addresses may hold characters a row
 * key may not) to that object id, so an approver named by e-mail finds their chat.
 */
export class TeamsConversationStore {
  constructor(private readonly table: TableClient) {}

  async save(kind: Kind, key: string, ref: ConversationRef): Promise<void> {
    await this.table.upsertEntity({ partitionKey: kind, rowKey: key, ...ref }, 'Replace');
  }

  async remove(kind: Kind, key: string): Promise<void> {
    try {
      await this.table.deleteEntity(kind, key);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
  }

  async saveIdentity(address: string, aadObjectId: string): Promise<void> {
    await this.table.upsertEntity({ partitionKey: 'identity', rowKey: identityKey(address), aadObjectId }, 'Replace');
  }

  /** The personal conversation of whoever installed the app under this e-mail or UPN. */
  async personalFor(address: string): Promise<ConversationRef | undefined> {
    try {
      const e = await this.table.getEntity<Record<string, unknown>>('identity', identityKey(address));
      return await this.find('personal', String(e['aadObjectId']));
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async find(kind: Kind, key: string): Promise<ConversationRef | undefined> {
    try {
      const e = await this.table.getEntity<Record<string, unknown>>(kind, key);
      return {
        conversationId: String(e['conversationId']), serviceUrl: String(e['serviceUrl']),
        ...(typeof e['tenantId'] === 'string' ? { tenantId: e['tenantId'] } : {}),
        ...(typeof e['teamId'] === 'string' ? { teamId: e['teamId'] } : {}),
        installedBy: String(e['installedBy']), installedAt: String(e['installedAt']),
      };
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }
}

function identityKey(address: string): string {
  return createHash('sha256').update(canonicalIdentity(address)).digest('hex');
}
