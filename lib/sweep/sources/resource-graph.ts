import { ArmError } from '../../azure/arm-error.js';
import { armPath } from '../../azure/arm-path.js';
import type { ArmAnswer, SendHooks, SweepArmTransport } from '../arm-transport.js';
import { pause } from '../pacing.js';

export const RESOURCE_GRAPH_API_VERSION = '2024-04-01';
/** The most rows Resource Graph returns in one page. */
export const RESOURCE_GRAPH_MAX_PAGE = 1000;
/** Resource Graph's documented default window (15 queries per 5 s), used when an answer names none. */
const DEFAULT_QUOTA_WINDOW_MS = 5_000;

const RESOURCES_PATH = armPath(['providers', 'Microsoft.ResourceGraph', 'resources']);

export type ResourceGraphScope =
  | { readonly subscriptions: readonly string[] }
  | { readonly managementGroups: readonly string[] };

export interface ResourceGraphPage {
  /** `objectArray` rows, unparsed: the caller's parser decides what a good row is. */
  readonly rows: readonly unknown[];
  readonly totalRecords: number | undefined;
  /** Resource Graph cut the result short without a $skipToken (a query that does not project `id`). */
  readonly truncated: boolean;
}

/**
 * The per-user quota as the last answer reported it. Resource Graph counts every query (every page)
 * against one window per user; when it says none are left, waiting for the reset costs exactly the
 * time a 429 would have, without the failed request. One per identity: share it across queries.
 */
export class ResourceGraphQuota implements SendHooks {
  private remaining: number | undefined;
  private resetsAt: number | undefined;

  constructor(private readonly transport: SweepArmTransport) {}

  async beforeAttempt(): Promise<void> {
    if (this.remaining === undefined || this.remaining > 0) return;
    const { clock, stats } = this.transport;
    const wait = (this.resetsAt ?? clock.now() + DEFAULT_QUOTA_WINDOW_MS) - clock.now();
    if (wait > 0) stats.quotaWaitedMs += wait;
    await pause(clock, stats, wait);
    // A new window: its size is unknown until the next answer says.
    this.remaining = undefined;
    this.resetsAt = undefined;
  }

  /**
   * The reset time is reported in whole seconds, rounded up, so each answer only bounds it from above
   * (it was computed before the answer arrived). Within one window the tightest bound of all its
   * answers is kept: waiting for the last answer's alone would overshoot most windows by half a second.
   * More remaining than before means a new window, whose bounds start afresh.
   */
  afterAnswer(answer: ArmAnswer): void {
    const remaining = parseCount(answer.headers['x-ms-user-quota-remaining']);
    const resetsAfter = parseResetsAfter(answer.headers['x-ms-user-quota-resets-after']);
    const newWindow = remaining === undefined || this.remaining === undefined || remaining > this.remaining;
    if (remaining !== undefined) this.remaining = remaining;
    if (resetsAfter === undefined) {
      if (remaining !== undefined) this.resetsAt = undefined;
      return;
    }
    const bound = this.transport.clock.now() + resetsAfter;
    this.resetsAt = newWindow || this.resetsAt === undefined ? bound : Math.min(this.resetsAt, bound);
  }
}

/** `hh:mm:ss`, seconds possibly fractional; anything else is ignored rather than guessed at. */
export function parseResetsAfter(value: string | undefined): number | undefined {
  const match = /^(\d{1,2}):([0-5]\d):([0-5]\d(?:\.\d{1,7})?)$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  const [, h, m, s] = match;
  return Math.ceil(((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000);
}

function parseCount(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

export class ResourceGraph {
  readonly quota: ResourceGraphQuota;

  constructor(private readonly transport: SweepArmTransport, quota?: ResourceGraphQuota) {
    this.quota = quota ?? new ResourceGraphQuota(transport);
  }

  /**
   * Runs one query and yields its pages as they arrive; rows are never gathered, so memory stays one
   * page whatever the tenant's size. A page is asked for only when the previous one has been consumed.
   * Throws ArmError when Resource Graph refuses (403), is missing (404) or keeps failing (429/5xx after
   * the transport's retries); the caller decides whether another source can stand in.
   */
  async *pages(query: string, scope: ResourceGraphScope, pageSize = RESOURCE_GRAPH_MAX_PAGE): AsyncGenerator<ResourceGraphPage> {
    const top = Math.min(Math.max(1, Math.floor(pageSize)), RESOURCE_GRAPH_MAX_PAGE);
    let skipToken: string | undefined;
    do {
      const options = { $top: top, resultFormat: 'objectArray', ...(skipToken ? { $skipToken: skipToken } : {}) };
      const answer = await this.transport.send('POST', RESOURCES_PATH, { 'api-version': RESOURCE_GRAPH_API_VERSION }, {
        body: { ...scopeBody(scope), query, options },
        hooks: this.quota,
      });
      const page = readPage(answer);
      skipToken = page.skipToken;
      yield { rows: page.rows, totalRecords: page.totalRecords, truncated: page.truncated };
    } while (skipToken);
  }
}

/** An empty list is left out: Resource Graph then covers every subscription the caller can read. */
function scopeBody(scope: ResourceGraphScope): Record<string, readonly string[]> {
  if ('subscriptions' in scope) return scope.subscriptions.length > 0 ? { subscriptions: scope.subscriptions } : {};
  return scope.managementGroups.length > 0 ? { managementGroups: scope.managementGroups } : {};
}

function readPage(answer: ArmAnswer): ResourceGraphPage & { skipToken: string | undefined } {
  const body = answer.body as { data?: unknown; $skipToken?: unknown; totalRecords?: unknown; resultTruncated?: unknown } | undefined;
  // `table` format (columns + rows) would mean the request was not the one we sent.
  if (!body || !Array.isArray(body.data)) {
    throw new ArmError(answer.status, 'UnexpectedResponse', 'Resource Graph answered without an objectArray `data`', false);
  }
  const skipToken = typeof body.$skipToken === 'string' && body.$skipToken.length > 0 ? body.$skipToken : undefined;
  return {
    rows: body.data,
    totalRecords: typeof body.totalRecords === 'number' ? body.totalRecords : undefined,
    truncated: skipToken === undefined && String(body.resultTruncated).toLowerCase() === 'true',
    skipToken,
  };
}
