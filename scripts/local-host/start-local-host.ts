import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { configureServices, type AppOptions } from '../../lib/composition-root.js';
import { registeredFunctions, type FunctionDefinition } from '../../lib/host/function-registry.js';
import { invokeHttp } from './http-bridge.js';
import { QueuePump } from './queue-pump.js';
import { matchRoute } from './route-table.js';
import { resolveAppSettings, TimerRunner } from './timer-runner.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface LocalHostOptions {
  /** App settings, as local.settings.json's Values would give them. */
  readonly env: Readonly<Record<string, string>>;
  /** 0 (the default) lets the kernel pick a free port as it binds, so no other process can race for it. */
  readonly port?: number;
  /** When `port` is taken, listen on any free port instead of failing (the demo prefers 7071). */
  readonly anyPortIfTaken?: boolean;
  /** The name in baseUrl and in the default PUBLIC_BASE_URL: 127.0.0.1 unless people will read it. */
  readonly hostname?: string;
  /** Queue redelivery delay; the host default is 30 s, tests use 1 s. */
  readonly visibilityTimeoutSeconds?: number;
  readonly pollIntervalMs?: number;
  readonly armRetry?: AppOptions['armRetry'];
  readonly mailRetryBackoffMs?: number;
  /** The app's clock; tests move it to make time pass for the app without waiting. */
  readonly clock?: AppOptions['clock'];
  readonly log?: (line: string) => void;
}

export interface LocalHost {
  readonly baseUrl: string;
  readonly port: number;
  /** The settings the app runs with: `env`, plus PUBLIC_BASE_URL = baseUrl unless `env` set one. */
  readonly env: Readonly<Record<string, string>>;
  readonly functions: readonly FunctionDefinition[];
  /** Holds a queue trigger: its messages wait until released (resolves once no delivery is under way). */
  holdQueue(queueName: string): Promise<void>;
  releaseQueue(queueName: string): void;
  stop(): Promise<void>;
}

interface HostJson {
  extensions?: { http?: { routePrefix?: string }; queues?: { maxDequeueCount?: number; messageEncoding?: string } };
}

/**
 * Serves every registered function the way `func start` would (http://localhost:7071/api/...), with the
 * queue triggers running against the storage in AzureWebJobsStorage and timers firing on their schedules.
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const log = options.log ?? ((line: string) => console.log(line));
  // Bound first, routes attached later: PUBLIC_BASE_URL (mail links, Location headers) needs the port
  // the kernel gave us, and nobody can send a request before this function returns that port.
  const server = createServer();
  const port = await listen(server, options.port ?? 0, options.anyPortIfTaken ?? false);
  const baseUrl = `http://${options.hostname ?? '127.0.0.1'}:${port}`;
  const env = { PUBLIC_BASE_URL: baseUrl, ...options.env };
  try {
    return await serve(server, { ...options, env, log }, baseUrl, port);
  } catch (error) {
    server.close();
    throw error;
  }
}

async function serve(
  server: Server,
  options: LocalHostOptions & { log: (line: string) => void },
  baseUrl: string,
  port: number,
): Promise<LocalHost> {
  const { env, log } = options;
  configureServices({
    env,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.armRetry ? { armRetry: options.armRetry } : {}),
    ...(options.mailRetryBackoffMs === undefined ? {} : { mailRetryBackoffMs: options.mailRetryBackoffMs }),
  });
  const functions = await loadFunctionDefinitions();
  const hostJson = JSON.parse(await readFile(join(ROOT, 'host.json'), 'utf8')) as HostJson;
  const routePrefix = hostJson.extensions?.http?.routePrefix ?? 'api';
  const http = functions.filter((f): f is Extract<FunctionDefinition, { kind: 'http' }> => f.kind === 'http');

  server.on('request', (incoming: IncomingMessage, outgoing: ServerResponse) => {
    // The URL is built on our own address, not the Host header: a hostile Host must not break parsing.
    const path = incoming.url ?? '/';
    const url = URL.canParse(path, baseUrl) ? new URL(path, baseUrl) : undefined;
    const match = url ? matchRoute(http, routePrefix, incoming.method ?? 'GET', url.pathname) : 'bad-path';
    if (!url || match === 'bad-path') return void outgoing.writeHead(400).end();
    if (match === undefined) return void outgoing.writeHead(404).end();
    if (match === 'method-not-allowed') return void outgoing.writeHead(405).end();
    // Like `func start`, function keys are not enforced locally.
    void invokeHttp(match.definition.handler, match.definition.name, incoming, outgoing, url, match.params, log);
  });

  const connectionString = env.AzureWebJobsStorage;
  if (!connectionString) throw new Error('the local host runs queue triggers against AzureWebJobsStorage (a connection string)');
  const queueFunctions = functions.filter((f): f is Extract<FunctionDefinition, { kind: 'queue' }> => f.kind === 'queue');
  const pumps = queueFunctions
    .map((f) => new QueuePump({
      connectionString,
      queueName: f.queueName,
      functionName: f.name,
      handler: f.handler,
      maxDequeueCount: hostJson.extensions?.queues?.maxDequeueCount ?? 5,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
      pollIntervalMs: options.pollIntervalMs ?? 500,
      log,
    }));
  await Promise.all(pumps.map((pump) => pump.start()));
  const timers = functions
    .filter((f): f is Extract<FunctionDefinition, { kind: 'timer' }> => f.kind === 'timer')
    .map((f) => new TimerRunner({ functionName: f.name, schedule: resolveAppSettings(f.schedule, env), handler: f.handler, log }));
  timers.forEach((timer) => timer.start());
  const pumpFor = (queueName: string): QueuePump => {
    const at = queueFunctions.findIndex((f) => f.queueName === queueName);
    if (at < 0) throw new Error(`no queue trigger listens on ${queueName}`);
    return pumps[at]!;
  };

  return {
    baseUrl,
    port,
    env,
    functions,
    holdQueue: (queueName) => pumpFor(queueName).hold(),
    releaseQueue: (queueName) => pumpFor(queueName).release(),
    async stop() {
      await Promise.all([...pumps.map((pump) => pump.stop()), ...timers.map((timer) => timer.stop())]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

/** Listens on `port`; if it is taken and that is allowed, on a port the kernel picks while binding. */
async function listen(server: Server, port: number, anyPortIfTaken: boolean): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
  } catch (error) {
    if (!anyPortIfTaken || port === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return listen(server, 0, false);
  }
  return (server.address() as AddressInfo).port;
}

/** Imports every module in functions/, which registers itself, exactly as the Functions host loads them. */
async function loadFunctionDefinitions(): Promise<readonly FunctionDefinition[]> {
  const dir = join(ROOT, 'functions');
  const files = (await readdir(dir)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'));
  const warn = console.warn;
  // Outside the Functions host the library warns that registration is skipped; that is expected here.
  console.warn = (...args: unknown[]) => (String(args[0]).includes('test mode') ? undefined : warn(...args));
  try {
    for (const file of files.sort()) await import(pathToFileURL(join(dir, file)).href);
  } finally {
    console.warn = warn;
  }
  return registeredFunctions();
}
