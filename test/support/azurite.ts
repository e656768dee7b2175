import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Azurite's well-known development account.
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const SERVICES = ['blob', 'queue', 'table'] as const;
type Service = (typeof SERVICES)[number];

export interface AzuriteHandle {
  readonly connectionString: string;
  readonly blobPort: number;
  readonly queuePort: number;
  readonly tablePort: number;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /**
   * Ports to try first. One that is taken is not an error: Azurite is started again with every port left
   * to the kernel. Without them each service binds port 0, so no two starts can ever race for a port.
   */
  readonly preferredPorts?: Partial<Record<Service, number>>;
  readonly startTimeoutMs?: number;
}

/** Azurite could not bind a requested port (another process holds it). */
export class AzuritePortTaken extends Error {}

/** Starts Azurite's blob, queue and table services in memory, on ports the kernel assigns. */
export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteHandle> {
  const preferred = options.preferredPorts ?? {};
  try {
    return await launch(preferred, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    // Bounded: the second launch asks for port 0 everywhere, which cannot be taken.
    if (!(error instanceof AzuritePortTaken) || Object.keys(preferred).length === 0) throw error;
    return launch({}, options.startTimeoutMs ?? 30_000);
  }
}

async function launch(preferred: Partial<Record<Service, number>>, timeoutMs: number): Promise<AzuriteHandle> {
  const workspace = await mkdtemp(join(tmpdir(), 'azurite-'));
  const cli = createRequire(import.meta.url).resolve('azurite/dist/src/azurite.js');
  const child = spawn(process.execPath, [
    cli, '--inMemoryPersistence', '--skipApiVersionCheck', '--disableProductStyleUrl', '--silent',
    // Tests must not phone home on every start.
    '--disableTelemetry',
    ...SERVICES.flatMap((s) => [`--${s}Host`, '127.0.0.1', `--${s}Port`, String(preferred[s] ?? 0)]),
  ], { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
  // However this process ends, Azurite must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));

  let ports: Record<Service, number>;
  try {
    ports = await boundPorts(child, timeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(workspace, { recursive: true, force: true });
    throw error;
  }
  const endpoint = (s: Service) => `${s[0]!.toUpperCase()}${s.slice(1)}Endpoint=http://127.0.0.1:${ports[s]}/${ACCOUNT}`;
  return {
    connectionString: ['DefaultEndpointsProtocol=http', `AccountName=${ACCOUNT}`, `AccountKey=${KEY}`, ...SERVICES.map(endpoint)].join(';'),
    blobPort: ports.blob,
    queuePort: ports.queue,
    tablePort: ports.table,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(workspace, { recursive: true, force: true });
    },
  };
}

/**
 * Azurite prints "Azurite Queue service is successfully listening at http://127.0.0.1:40123" once each
 * server is bound, with the port read from the socket (3.35 verified; its "is starting at" line shows the
 * requested port, ":0"). Reading it there, rather than probing ports, also guarantees that the server we
 * talk to is this child and not some other process that happens to listen on the port.
 */
function boundPorts(child: ReturnType<typeof spawn>, timeoutMs: number): Promise<Record<Service, number>> {
  return new Promise((resolve, reject) => {
    const found: Partial<Record<Service, number>> = {};
    let output = '';
    const timer = setTimeout(() => fail(new Error(`azurite did not start within ${timeoutMs} ms: ${output}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.removeListener('exit', onExit);
      reject(error);
    };
    const onExit = (code: number | null) => fail(/EADDRINUSE/.test(output)
      ? new AzuritePortTaken(`azurite could not bind a requested port: ${output.trim()}`)
      : new Error(`azurite exited with ${code}: ${output}`));
    child.once('exit', onExit);
    // Keep draining both pipes for the child's whole life, or a chatty Azurite would block on a full pipe.
    const started = () => Object.keys(found).length === SERVICES.length;
    child.stderr?.on('data', (chunk: Buffer) => void (started() || (output += chunk.toString())));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (started()) return;
      output += chunk.toString();
      for (const match of output.matchAll(/Azurite (Blob|Queue|Table) service is successfully listening at https?:\/\/\S+:(\d+)/g)) {
        const port = Number(match[2]);
        if (port === 0) return fail(new Error(`azurite reported port 0; this version cannot say which port it bound: ${output}`));
        found[match[1]!.toLowerCase() as Service] = port;
      }
      if (started()) {
        clearTimeout(timer);
        child.removeListener('exit', onExit);
        resolve(found as Record<Service, number>);
      }
    });
  });
}
