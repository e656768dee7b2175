import { TableClient } from '@azure/data-tables';
import { afterEach } from 'vitest';
import { QueueClient } from '@azure/storage-queue';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import type { Clock } from '../../lib/core/clock.js';
import { startLocalHost, type LocalHost } from '../../scripts/local-host/start-local-host.js';
import { startLocalEnvironment, type LocalEnvironment } from './local-environment.js';
import { eventually } from './review-flow.js';

export interface AppUnderTest extends LocalEnvironment {
  readonly host: LocalHost;
  readonly baseUrl: string;
  readonly logs: string[];
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; json: any }>;
  get(path: string): Promise<{ status: number; headers: Headers; json: any }>;
  /** Every request row in the table (audit rows excluded). */
  storedRequestCount(): Promise<number>;
  queuedMessages(queue: string): Promise<number>;
  waitForState(id: string, states: string[]): Promise<any>;
  close(): Promise<void>;
}

/** The whole app on real sockets: Azurite, the simulated tenant and the local Functions host. */
export async function startAppUnderTest(extraEnv: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<AppUnderTest> {
  const environment = await startLocalEnvironment({ extraEnv });
  const logs: string[] = [];
  const host = await startLocalHost({
    env: environment.env,
    visibilityTimeoutSeconds: 1,
    pollIntervalMs: 100,
    armRetry: { maxRetries: 3, retryDelayInMs: 50, maxRetryDelayInMs: 500 },
    mailRetryBackoffMs: 20,
    ...(options.clock ? { clock: options.clock } : {}),
    log: (line) => logs.push(line),
  });
  const call = async (path: string, init: RequestInit) => {
    const response = await fetch(`${host.baseUrl}${path}`, init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
  };
  const table = TableClient.fromConnectionString(environment.azurite.connectionString, STORAGE_NAMES.requestsTable, { allowInsecureConnection: true });
  return {
    ...environment,
    // With PUBLIC_BASE_URL, which only the bound host knows.
    env: host.env,
    host,
    baseUrl: host.baseUrl,
    logs,
    post: (path, body, headers = {}) => call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    get: (path) => call(path, {}),
    async storedRequestCount() {
      let count = 0;
      try {
        for await (const _ of table.listEntities({ queryOptions: { filter: "RowKey eq 'request'" } })) count++;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      }
      return count;
    },
    async queuedMessages(queue: string) {
      const client = new QueueClient(environment.azurite.connectionString, queue);
      if (!(await client.exists())) return 0;
      return (await client.getProperties()).approximateMessagesCount ?? 0;
    },
    async waitForState(id, states) {
      return eventually(async () => {
        const { json } = await call(`/api/exemption-requests/${id}`, {});
        return states.includes(json?.state) ? json : undefined;
      }, `request ${id} to reach ${states.join(' or ')}`);
    },
    async close() {
      await host.stop();
      await environment.stop();
    },
  };
}

/** Call at the top of a test file: the host's log explains a failure that a status code alone does not. */
export function printHostLogOnFailure(app: () => AppUnderTest | undefined): void {
  afterEach((context) => {
    const logs = app()?.logs;
    if (context.task.result?.state === 'fail' && logs) console.error(`local host log:\n${logs.join('\n')}`);
  });
}
