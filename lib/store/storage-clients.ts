import type { TokenCredential } from '@azure/core-auth';
import { TableClient } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';

/** Either a connection string (local, Azurite) or service URIs used with the managed identity. */
export type StorageConnection =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | { readonly kind: 'identity'; readonly tableServiceUri: string; readonly queueServiceUri: string; readonly credential: TokenCredential };

export function tableClient(connection: StorageConnection, table: string): TableClient {
  if (connection.kind === 'connectionString') {
    return TableClient.fromConnectionString(connection.connectionString, table, { allowInsecureConnection: true });
  }
  return new TableClient(connection.tableServiceUri, table, connection.credential);
}

export function queueClient(connection: StorageConnection, queue: string): QueueClient {
  if (connection.kind === 'connectionString') return new QueueClient(connection.connectionString, queue);
  return new QueueClient(`${connection.queueServiceUri.replace(/\/$/, '')}/${queue}`, connection.credential);
}
