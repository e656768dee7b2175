// The test harness must never pick a port, let it go and bind it later: another process (a parallel test
// file) can take it in between. These tests hold a port themselves and ask for exactly that one.
import { QueueClient } from '@azure/storage-queue';
import { TableClient } from '@azure/data-tables';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalHost } from '../../scripts/local-host/start-local-host.js';
import { SEED } from '../sim/seed-ids.js';
import { startAzurite, type AzuriteHandle } from '../support/azurite.js';
import { startLocalEnvironment } from '../support/local-environment.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A port another process holds for the whole test. */
async function occupiedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

/** Proves the queue and table endpoints in the connection string are Azurite's own. */
async function expectWorkingStorage(azurite: AzuriteHandle): Promise<void> {
  const queue = new QueueClient(azurite.connectionString, 'collision-check');
  await queue.create();
  expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
  const table = TableClient.fromConnectionString(azurite.connectionString, 'collisioncheck', { allowInsecureConnection: true });
  await table.createTable();
  await table.createEntity({ partitionKey: 'p', rowKey: 'r', value: 1 });
  expect((await table.getEntity<{ value: number }>('p', 'r')).value).toBe(1);
}

describe('Azurite start-up', () => {
  it('comes up on other ports when a port it was asked for is taken', async () => {
    const taken = await occupiedPort();
    const azurite = await startAzurite({ preferredPorts: { queue: taken, table: taken } });
    cleanups.push(() => azurite.stop());

    expect(azurite.queuePort).not.toBe(taken);
    expect(azurite.tablePort).not.toBe(taken);
    await expectWorkingStorage(azurite);
  });

  it('binds every service itself when left to choose, so parallel starts get distinct working ports', async () => {
    const started = await Promise.all([startAzurite(), startAzurite()]);
    cleanups.push(() => Promise.all(started.map((a) => a.stop())));

    const ports = started.flatMap((a) => [a.blobPort, a.queuePort, a.tablePort]);
    expect(ports.every((port) => port > 0)).toBe(true);
    expect(new Set(ports).size).toBe(ports.length);
    for (const azurite of started) await expectWorkingStorage(azurite);
  });
});

describe('local host start-up', () => {
  it('moves to a free port when the preferred one is taken, and its links name the port it got', async () => {
    const taken = await occupiedPort();
    const environment = await startLocalEnvironment();
    cleanups.push(() => environment.stop());
    const host = await startLocalHost({ env: environment.env, port: taken, anyPortIfTaken: true, pollIntervalMs: 100, log: () => undefined });
    cleanups.push(() => host.stop());

    expect(host.port).not.toBe(taken);
    expect(host.baseUrl).toBe(`http://127.0.0.1:${host.port}`);
    expect(host.env.PUBLIC_BASE_URL).toBe(host.baseUrl);
    const response = await fetch(`${host.baseUrl}/api/exemption-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceId: SEED.twoAssignments.resourceId,
        assessmentKey: SEED.twoAssignments.assessmentKey,
        justification: 'Mitigated by a private endpoint',
        requestedBy: 'owner@contoso.com',
      }),
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/api/exemption-requests/`));
  });

  it('refuses a taken port it was told to keep (the dev host keeps 7071 or stops)', async () => {
    const taken = await occupiedPort();
    await expect(startLocalHost({ env: { AzureWebJobsStorage: 'UseDevelopmentStorage=true' }, port: taken, log: () => undefined }))
      .rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
