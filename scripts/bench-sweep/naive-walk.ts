// The naive walk the sweep is compared with: what a reasonable script without Resource Graph would do.
// List the exemptions of each subscription over REST (following nextLink), then GET the Defender
// assessment of each exempted resource for each exempted policy, `concurrency` requests at a time,
// honouring Retry-After on 429. It faces the same simulated tenant (latency, ARM read throttling).
import type { NaiveSample } from './arithmetic.js';

export const EXEMPTIONS_API_VERSION = '2024-12-01-preview';
export const ASSESSMENTS_API_VERSION = '2021-06-01';

export interface NaiveWalkOptions {
  readonly armEndpoint: string;
  readonly token: () => Promise<string>;
  readonly subscriptionIds: readonly string[];
  readonly concurrency: number;
  /** Policy definition reference id (lower case) → Defender assessment key. */
  readonly assessmentKeyOf: (referenceId: string) => string | undefined;
}

export interface NaiveWalkResult extends NaiveSample {
  readonly listPages: number;
  readonly assessmentGets: number;
  readonly exemptions: number;
  /** Answers that were 429, each followed by a re-send after Retry-After. */
  readonly throttled: number;
  readonly statuses: Record<string, number>;
  /** x-ms-ratelimit-remaining-subscription-reads on the first answer: how full the bucket was at the start. */
  readonly readsRemainingAtStart: number | undefined;
  /** Requests that got no answer at all (connection failed), each re-sent after 1 s. */
  readonly networkErrors: number;
}

/** Failed connections retried in all before the walk gives up. */
const MAX_NETWORK_ERRORS = 200;

interface ExemptionRow { id?: string; properties?: { policyDefinitionReferenceIds?: string[] } }

async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

export async function naiveWalk(options: NaiveWalkOptions): Promise<NaiveWalkResult> {
  const statuses: Record<string, number> = {};
  let calls = 0;
  let throttled = 0;
  let listPages = 0;
  let assessmentGets = 0;
  let readsRemainingAtStart: number | undefined;
  let networkErrors = 0;
  let beforeThrottle: { calls: number; seconds: number } | undefined;
  const base = options.armEndpoint.replace(/\/$/, '');
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;

  /** One logical call: re-sent after each 429 until it gets another answer. */
  const get = async (url: string): Promise<{ status: number; body: unknown }> => {
    for (;;) {
      let response: Response;
      try {
        response = await fetch(url, { headers: { authorization: `Bearer ${await options.token()}` } });
      } catch (error) {
        // A connection that failed (the tenant busy answering other calls): a script would try again.
        if (++networkErrors > MAX_NETWORK_ERRORS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      const body = await response.json().catch(() => undefined);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (readsRemainingAtStart === undefined) {
        const remaining = response.headers.get('x-ms-ratelimit-remaining-subscription-reads');
        if (remaining !== null) readsRemainingAtStart = Number(remaining);
      }
      if (response.status === 429) {
        throttled++;
        beforeThrottle ??= { calls, seconds: seconds() };
        const retryAfter = Number(response.headers.get('retry-after') ?? '1');
        await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1) * 1000));
        continue;
      }
      calls++;
      return { status: response.status, body };
    }
  };

  const work: { resourceId: string; key: string }[] = [];
  let exemptions = 0;
  await inParallel(options.subscriptionIds, options.concurrency, async (subscriptionId) => {
    let url: string | undefined = `${base}/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/policyExemptions?api-version=${EXEMPTIONS_API_VERSION}`;
    while (url) {
      const { status, body } = await get(url);
      listPages++;
      if (status !== 200) throw new Error(`listing the exemptions of ${subscriptionId} answered ${status}`);
      const page = body as { value?: ExemptionRow[]; nextLink?: string };
      for (const row of page.value ?? []) {
        if (typeof row.id !== 'string' || !row.id.toLowerCase().startsWith(`/subscriptions/${subscriptionId.toLowerCase()}/`)) continue;
        exemptions++;
        const resourceId = row.id.slice(0, row.id.toLowerCase().indexOf('/providers/microsoft.authorization/policyexemptions/'));
        for (const reference of row.properties?.policyDefinitionReferenceIds ?? []) {
          const key = options.assessmentKeyOf(reference.toLowerCase());
          if (key) work.push({ resourceId, key });
        }
      }
      url = page.nextLink ? `${base}${new URL(page.nextLink).pathname}${new URL(page.nextLink).search}` : undefined;
    }
  });
  await inParallel(work, options.concurrency, async ({ resourceId, key }) => {
    // 404 is an answer too: the exempted resource (and so its assessment) is gone.
    await get(`${base}${resourceId}/providers/Microsoft.Security/assessments/${key}?api-version=${ASSESSMENTS_API_VERSION}`);
    assessmentGets++;
  });
  return {
    calls, seconds: seconds(), ...(beforeThrottle ? { beforeThrottle } : {}),
    listPages, assessmentGets, exemptions, throttled, statuses, readsRemainingAtStart, networkErrors,
  };
}
