import { getClient, type Client } from '@azure-rest/core-client';
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { armErrorFrom, isTransientStatus, parseRetryAfter, toArmError } from '../azure/arm-error.js';
import { credentialScope } from '../azure/arm-client-options.js';
import type { ArmPath } from '../azure/arm-path.js';
import { newSourceStats, pause, realPacer, type Pacer, type SourceStats } from './pacing.js';

export interface SweepTransportOptions {
  readonly endpoint: string;
  readonly credential: TokenCredential;
  readonly pacer?: Pacer;
  readonly stats?: SourceStats;
  /** Re-sends after a 429, a 5xx or a dropped connection before giving up. */
  readonly maxRetries?: number;
  /** Back-off when a transient answer names no Retry-After: this, doubled on each attempt. */
  readonly backoffMs?: number;
  /** Where requests go instead of the network (tests); bearer auth and the HTTPS-only rule still apply. */
  readonly httpClient?: HttpClient;
}

export interface ArmAnswer {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Lets a caller gate each attempt (a quota window) and read every answer's headers, 429s included. */
export interface SendHooks {
  beforeAttempt?(): Promise<void>;
  afterAnswer?(answer: ArmAnswer): void;
}

export interface SendOptions {
  /** Error statuses the caller handles itself (a 404 that means "gone"); they are not thrown. */
  readonly accept?: readonly number[];
  readonly body?: unknown;
  readonly hooks?: SendHooks;
}

const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_BACKOFF_MS = 2_000;

/**
 * ARM reads and Resource Graph queries for the sweep, over the Azure core pipeline (bearer token, HTTPS
 * only). The pipeline's own retries are switched off: they sleep on the real clock where nobody can
 * see or count it, and the sweep has to do both (fake clocks in tests, waiting time in the run report).
 */
export class SweepArmTransport {
  readonly stats: SourceStats;
  private readonly client: Client;
  private readonly pacer: Pacer;
  private readonly maxRetries: number;
  private readonly backoffMs: number;

  constructor(options: SweepTransportOptions) {
    this.client = getClient(options.endpoint, options.credential, {
      credentials: { scopes: [credentialScope(options.endpoint)] },
      retryOptions: { maxRetries: 0 },
      ...(options.httpClient ? { httpClient: options.httpClient } : {}),
    });
    this.pacer = options.pacer ?? realPacer;
    this.stats = options.stats ?? newSourceStats();
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  }

  get clock(): Pacer {
    return this.pacer;
  }

  async send(method: 'GET' | 'POST' | 'DELETE', path: ArmPath, query: Readonly<Record<string, string>>, options: SendOptions = {}): Promise<ArmAnswer> {
    const what = `${method} ${path}`;
    for (let attempt = 0; ; attempt++) {
      await options.hooks?.beforeAttempt?.();
      this.stats.requests++;
      let answer: ArmAnswer;
      try {
        answer = await this.once(method, path, query, options.body);
      } catch (error) {
        const failure = toArmError(error, what);
        if (!failure.transient || attempt >= this.maxRetries) throw failure;
        await this.retryAfter(attempt, undefined);
        continue;
      }
      options.hooks?.afterAnswer?.(answer);
      if (answer.status < 400 || options.accept?.includes(answer.status)) return answer;
      if (answer.status === 429) this.stats.throttled++;
      const retryAfter = parseRetryAfter(answer.headers['retry-after'], this.pacer.now());
      if (!isTransientStatus(answer.status) || attempt >= this.maxRetries) {
        throw armErrorFrom(answer.status, answer.body, `${what} answered ${answer.status}`, retryAfter);
      }
      await this.retryAfter(attempt, retryAfter);
    }
  }

  /**
   * A nextLink carries its own api-version and paging state. Only its path and query are used, so the
   * request (and the bearer token) still goes to the configured endpoint.
   */
  async sendNextLink(nextLink: string, options: SendOptions = {}): Promise<ArmAnswer> {
    const url = new URL(nextLink);
    return this.send('GET', url.pathname as ArmPath, Object.fromEntries(url.searchParams.entries()), options);
  }

  private async retryAfter(attempt: number, retryAfterSeconds: number | undefined): Promise<void> {
    this.stats.retries++;
    await pause(this.pacer, this.stats, retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : this.backoffMs * 2 ** attempt);
  }

  private async once(method: 'GET' | 'POST' | 'DELETE', path: ArmPath, queryParameters: Readonly<Record<string, string>>, body: unknown): Promise<ArmAnswer> {
    // Already encoded segment by segment; encoding it again would turn %2F into %252F.
    const resource = this.client.path('/{path}', { value: path.slice(1), allowReserved: true });
    const options = { queryParameters: { ...queryParameters }, ...(body === undefined ? {} : { body }) };
    const response = await (method === 'GET' ? resource.get(options) : method === 'POST' ? resource.post(options) : resource.delete(options));
    return { status: Number(response.status), headers: { ...response.headers }, body: response.body };
  }
}
