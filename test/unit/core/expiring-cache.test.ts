import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../lib/core/clock.js';
import { ExpiringCache } from '../../../lib/core/expiring-cache.js';

const TTL = 60_000;

function setup() {
  let now = Date.parse('2026-11-01T00:00:00Z');
  const clock: Clock = { now: () => new Date(now) };
  const loads: string[] = [];
  const cache = new ExpiringCache<string>(TTL, clock);
  const load = (key: string, ...value: [string | undefined] | []) => () => {
    loads.push(key);
    return Promise.resolve(value.length === 0 ? `v-${key}` : value[0]);
  };
  return { cache, loads, load, advance: (ms: number) => { now += ms; } };
}

describe('ExpiringCache', () => {
  it('serves a loaded value until the TTL has passed, then loads again', async () => {
    const { cache, loads, load, advance } = setup();
    expect(await cache.get('a', load('a'))).toBe('v-a');
    advance(TTL - 1);
    expect(await cache.get('a', load('a'))).toBe('v-a');
    expect(loads).toEqual(['a']);
    advance(1);
    expect(await cache.get('a', load('a', 'v-a2'))).toBe('v-a2');
    expect(loads).toEqual(['a', 'a']);
  });

  it('keys are independent', async () => {
    const { cache, loads, load } = setup();
    await cache.get('a', load('a'));
    expect(await cache.get('b', load('b'))).toBe('v-b');
    expect(loads).toEqual(['a', 'b']);
  });

  it('concurrent misses for one key share a single load', async () => {
    const { cache } = setup();
    let calls = 0;
    let release!: (value: string) => void;
    const slow = () => { calls++; return new Promise<string>((resolve) => { release = resolve; }); };
    const all = Promise.all(Array.from({ length: 10 }, () => cache.get('a', slow)));
    release('shared');
    expect(await all).toEqual(Array(10).fill('shared'));
    expect(calls).toBe(1);
  });

  it('does not keep a failure or a value that was not found: the next caller loads again', async () => {
    const { cache, loads, load } = setup();
    await expect(cache.get('a', () => Promise.reject(new Error('ARM down')))).rejects.toThrow('ARM down');
    expect(await cache.get('a', load('a'))).toBe('v-a');
    expect(await cache.get('missing', load('missing', undefined))).toBeUndefined();
    expect(await cache.get('missing', load('missing', 'created since'))).toBe('created since');
    expect(loads).toEqual(['a', 'missing', 'missing']);
  });
});
