// The quota window runs on a clock the test moves: no sleeping, no timing assumptions.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXEMPTIONS_QUERY, graphQuery } from './graph-client.js';
import { startFixture, type SimFixture } from './sim-fixture.js';

describe('sim Resource Graph: per-user quota', () => {
  let f: SimFixture;
  let now = 1_700_000_000_000;
  beforeAll(async () => { f = await startFixture({ resourceGraph: { quota: { clock: () => now } } }); });
  afterAll(async () => { await f.sim.close(); });
  beforeEach(() => { now += 60_000; }); // every test starts in a fresh window

  const quota = (h: Headers) => [h.get('x-ms-user-quota-remaining'), h.get('x-ms-user-quota-resets-after')];

  it('counts down on every answer; the 16th query in a window gets 429 with Retry-After', async () => {
    const seen: Array<Array<string | null>> = [];
    for (let i = 0; i < 15; i++) {
      const r = await graphQuery(f, { query: EXEMPTIONS_QUERY });
      expect(r.status).toBe(200);
      seen.push(quota(r.headers));
      now += 200;
    }
    expect(seen.map(([remaining]) => remaining)).toEqual(['14', '13', '12', '11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1', '0']);
    expect(seen[0]![1]).toBe('00:00:05');
    // 15 × 200 ms have passed: 2 s of the window are left.
    const over = await graphQuery(f, { query: EXEMPTIONS_QUERY });
    expect(over.status).toBe(429);
    expect(over.body.error?.code).toBe('TooManyRequests');
    expect(over.headers.get('retry-after')).toBe('2');
    expect(quota(over.headers)).toEqual(['0', '00:00:02']);
  });

  it('resets when the window ends', async () => {
    for (let i = 0; i < 15; i++) await graphQuery(f, { query: EXEMPTIONS_QUERY });
    expect((await graphQuery(f, { query: EXEMPTIONS_QUERY })).status).toBe(429);
    now += 4_999;
    expect((await graphQuery(f, { query: EXEMPTIONS_QUERY })).status).toBe(429);
    now += 1;
    const fresh = await graphQuery(f, { query: EXEMPTIONS_QUERY });
    expect(fresh.status).toBe(200);
    expect(quota(fresh.headers)).toEqual(['14', '00:00:05']);
  });

  it('refused and invalid queries count and carry the headers too', async () => {
    const bad = await graphQuery(f, { query: 'Resources | project id' });
    expect(bad.status).toBe(400);
    expect(quota(bad.headers)).toEqual(['14', '00:00:05']);
    const invalid = await graphQuery(f, { query: EXEMPTIONS_QUERY, options: { $top: 0 } });
    expect(invalid.status).toBe(400);
    expect(quota(invalid.headers)[0]).toBe('13');
  });
});

describe('sim Resource Graph: quota is configurable', () => {
  let f: SimFixture;
  let now = 0;
  beforeAll(async () => { f = await startFixture({ resourceGraph: { quota: { limit: 2, windowMs: 60_000, clock: () => now } } }); });
  afterAll(async () => { await f.sim.close(); });

  it('applies the configured limit and window', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await graphQuery(f, { query: EXEMPTIONS_QUERY })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const r = await graphQuery(f, { query: EXEMPTIONS_QUERY });
    expect(r.headers.get('x-ms-user-quota-resets-after')).toBe('00:01:00');
    expect(r.headers.get('retry-after')).toBe('60');
  });
});
