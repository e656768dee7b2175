import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

// Azurite's well-known development account.
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteHandle {
  readonly connectionString: string;
  readonly queuePort: number;
  readonly tablePort: number;
  stop(): Promise<void>;
}

/** Starts Azurite's queue and table services in memory on free ports. */
export async function startAzurite(): Promise<AzuriteHandle> {
  const [queuePort, tablePort, blobPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const workspace = await mkdtemp(join(tmpdir(), 'azurite-'));
  const cli = createRequire(import.meta.url).resolve('azurite/dist/src/azurite.js');
  const child = spawn(process.execPath, [
    cli, '--inMemoryPersistence', '--skipApiVersionCheck', '--disableProductStyleUrl', '--silent',
    '--blobHost', '127.0.0.1', '--blobPort', String(blobPort),
    '--queueHost', '127.0.0.1', '--queuePort', String(queuePort),
    '--tableHost', '127.0.0.1', '--tablePort', String(tablePort),
  ], { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
  // However this process ends, Azurite must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  await waitForListening(child, [queuePort, tablePort]);
  const connectionString = [
    'DefaultEndpointsProtocol=http',
    `AccountName=${ACCOUNT}`,
    `AccountKey=${KEY}`,
    `BlobEndpoint=http://127.0.0.1:${blobPort}/${ACCOUNT}`,
    `QueueEndpoint=http://127.0.0.1:${queuePort}/${ACCOUNT}`,
    `TableEndpoint=http://127.0.0.1:${tablePort}/${ACCOUNT}`,
  ].join(';');
  return {
    connectionString,
    queuePort,
    tablePort,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(workspace, { recursive: true, force: true });
    },
  };
}

async function waitForListening(child: ChildProcess, ports: number[]): Promise<void> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`azurite exited with ${child.exitCode}: ${output}`);
    const open = await Promise.all(ports.map(isListening));
    if (open.every(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`azurite did not start within 30 s: ${output}`);
}

async function isListening(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`);
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}
