import type { TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { SweepArmTransport } from '../../../lib/sweep/arm-transport.js';
import { newSourceStats, type Pacer } from '../../../lib/sweep/pacing.js';

/** What the fake ARM saw: enough to assert on paths, queries, bodies and the bearer token. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: unknown;
  readonly authorization: string | undefined;
  /** The fake clock's time when the request went out. */
  readonly at: number;
}

export interface FakeAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** A clock that only moves when the code under test sleeps: waits are exact and cost no real time. */
export class FakePacer implements Pacer {
  readonly sleeps: number[] = [];
  constructor(private time = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
  /** Time passing outside the code under test (a round trip), not a wait of its own. */
  advance(ms: number): void {
    this.time += ms;
  }
}

/**
 * An HttpClient at the bottom of the real pipeline: bearer auth and the HTTPS-only rule run as in
 * production, and each request is answered by `answer` instead of the network.
 */
export class FakeArm implements HttpClient {
  readonly seen: SeenRequest[] = [];
  constructor(private readonly pacer: FakePacer, private readonly answer: (request: SeenRequest) => FakeAnswer) {}

  async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    const url = new URL(request.url);
    const seen: SeenRequest = {
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      body: typeof request.body === 'string' ? JSON.parse(request.body) : undefined,
      authorization: request.headers.get('authorization'),
      at: this.pacer.now(),
    };
    this.seen.push(seen);
    const answer = this.answer(seen);
    const headers = createHttpHeaders({ 'content-type': 'application/json', ...answer.headers });
    return { request, status: answer.status, headers, ...(answer.body === undefined ? {} : { bodyAsText: JSON.stringify(answer.body) }) };
  }
}

export const ENDPOINT = 'https://management.example.test';
export const TOKEN = 'sweep-test-token';
const credential: TokenCredential = { getToken: async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) };

/** A transport over a fake ARM, with a fake clock; `answer` plays ARM. */
export function fakeTransport(answer: (request: SeenRequest) => FakeAnswer, maxRetries = 3) {
  const pacer = new FakePacer();
  const arm = new FakeArm(pacer, answer);
  const stats = newSourceStats();
  const transport = new SweepArmTransport({ endpoint: ENDPOINT, credential, pacer, stats, httpClient: arm, maxRetries, backoffMs: 1_000 });
  return { pacer, arm, stats, transport };
}
