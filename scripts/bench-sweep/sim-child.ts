// The simulated tenant at scale as a child process (test/sim/serve-scale.ts), so its memory and CPU are
// not this process's: the benchmark's peak RSS is the sweep's own.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface SimInfo {
  armEndpoint: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  smtp: { host: string; port: number };
  caFile: string;
  caCertPem: string;
  latencyMs: number;
  counts: { subscriptions: number; exemptions: number; assessments: number; policyAssignments: number; resources: number; byKind: Record<string, number> };
  subscriptionIds: string[];
}

export interface GraphLogEntry {
  query: string;
  subscriptions?: string[];
  managementGroups?: string[];
  /** Pages answered 200. */
  answered: number;
  /** Refused with 429 (quota). */
  refused: number;
  otherStatus: number;
}

export interface SimStats {
  requests: number;
  throttled: number;
  graph: GraphLogEntry[];
  /** `{operationId} {status}` → count, everything but Resource Graph. */
  arm: Record<string, number>;
  violations: number;
}

export interface SimChild {
  readonly info: SimInfo;
  stats(): Promise<SimStats>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSimChild(options: { subscriptions: number; exemptions: number; latencyMs: number; seed?: number; caDir: string }): Promise<SimChild> {
  const child: ChildProcess = spawn(process.execPath, [
    '--import', 'tsx', join(ROOT, 'test', 'sim', 'serve-scale.ts'),
    '--subscriptions', String(options.subscriptions), '--exemptions', String(options.exemptions),
    '--latency', String(options.latencyMs), '--seed', String(options.seed ?? 1), '--ca-dir', options.caDir,
  ], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));

  const waiting: ((line: string) => void)[] = [];
  const early: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else early.push(line);
  });
  const nextLine = () => new Promise<string>((resolve, reject) => {
    const queued = early.shift();
    if (queued !== undefined) return resolve(queued);
    const onExit = (code: number | null) => reject(new Error(`the simulated tenant exited (${code}) before answering`));
    child.once('exit', onExit);
    waiting.push((line) => {
      child.removeListener('exit', onExit);
      resolve(line);
    });
  });
  const ask = async (command: string) => {
    const answer = nextLine();
    child.stdin!.write(`${command}\n`);
    return JSON.parse(await answer) as Record<string, unknown>;
  };

  const info = JSON.parse(await nextLine()) as SimInfo;
  return {
    info,
    stats: async () => (await ask('stats')).stats as SimStats,
    clear: async () => void (await ask('clear')),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
