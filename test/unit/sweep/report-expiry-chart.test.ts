import { describe, expect, it } from 'vitest';
import { render } from '../../../lib/web/html.js';
import { ExpiryHistogram, expiringPerWeek, renderExpiryChart, weekStart } from '../../../lib/sweep/report/expiry-chart.js';

const FROM = new Date('2026-11-02T03:00:00.000Z');
const DAY = 86_400_000;
const at = (ms: number) => new Date(FROM.getTime() + ms).toISOString();

describe('expiry histogram', () => {
  it('has 13 weekly buckets by default, all zero to start with', () => {
    expect(new ExpiryHistogram(FROM).counts()).toEqual(new Array(13).fill(0));
    expect(expiringPerWeek([], FROM)).toHaveLength(13);
  });

  it('puts an expiry exactly at the start in week 0, and one millisecond before the start nowhere', () => {
    const h = new ExpiryHistogram(FROM);
    expect(h.add(at(0))).toBe(0);
    expect(h.add(at(-1))).toBeUndefined();
    expect(h.counts()[0]).toBe(1);
  });

  it('puts the last millisecond of a week in that week and the next instant in the next', () => {
    const h = new ExpiryHistogram(FROM);
    expect(h.add(at(7 * DAY - 1))).toBe(0);
    expect(h.add(at(7 * DAY))).toBe(1);
    expect(h.counts().slice(0, 2)).toEqual([1, 1]);
  });

  it('counts up to the last millisecond of day 91 and nothing from then on', () => {
    const h = new ExpiryHistogram(FROM);
    expect(h.add(at(91 * DAY - 1))).toBe(12);
    expect(h.add(at(91 * DAY))).toBeUndefined();
    expect(h.add(at(400 * DAY))).toBeUndefined();
    expect(h.counts()).toEqual([...new Array(12).fill(0), 1]);
  });

  it('ignores missing, empty and unparseable expiries', () => {
    expect(expiringPerWeek([undefined, '', 'not a date', '9999-99-99'], FROM)).toEqual(new Array(13).fill(0));
  });

  it('reads offsets in the expiry the same as UTC', () => {
    // 2026-11-09T04:59+02:00 is 02:59Z: before the start of week 1 (03:00Z on the 9th).
    expect(expiringPerWeek(['2026-11-09T04:59:00+02:00', '2026-11-09T03:00:00Z'], FROM).slice(0, 2)).toEqual([1, 1]);
  });

  it('gives the same counts fed one at a time as all at once', () => {
    const expiries = Array.from({ length: 200 }, (_, i) => at(i * 0.6 * DAY - 5 * DAY));
    const h = new ExpiryHistogram(FROM);
    for (const e of expiries) h.add(e);
    expect(h.counts()).toEqual(expiringPerWeek(expiries, FROM));
    expect(h.counts().reduce((a, b) => a + b, 0)).toBe(expiries.filter((e) => Date.parse(e) >= FROM.getTime() && Date.parse(e) < FROM.getTime() + 91 * DAY).length);
  });

  it('does not let a caller change its counts through the returned array', () => {
    const h = new ExpiryHistogram(FROM);
    h.counts()[0] = 99;
    expect(h.counts()[0]).toBe(0);
  });

  it('takes another number of weeks and refuses nonsense', () => {
    expect(expiringPerWeek([at(8 * DAY)], FROM, 2)).toEqual([0, 1]);
    expect(() => new ExpiryHistogram(FROM, 0)).toThrow(RangeError);
    expect(() => new ExpiryHistogram(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('expiry chart', () => {
  const counts = [0, 3, 1, 0, 7, 2, 0, 0, 1, 0, 0, 4, 5];
  const svg = render(renderExpiryChart(counts, FROM));

  it('draws one bar per week with its count and a title', () => {
    const bars = [...svg.matchAll(/<rect class="bar" data-week="(\d+)" data-count="(\d+)"[^>]* height="([\d.]+)"[^>]*><title>([^<]*)<\/title><\/rect>/g)];
    expect(bars.map((b) => Number(b[2]))).toEqual(counts);
    expect(bars[1]?.[4]).toBe(`Week of ${weekStart(FROM, 1)}: 3 exemptions expire`);
    expect(bars[2]?.[4]).toBe(`Week of ${weekStart(FROM, 2)}: 1 exemption expires`);
    const heights = bars.map((b) => Number(b[3]));
    expect(heights[4]).toBeGreaterThan(heights[12] ?? Infinity);
    expect(heights[0]).toBe(0);
  });

  it('labels the axis with the week start dates', () => {
    expect(weekStart(FROM, 0)).toBe('2026-11-02');
    expect(weekStart(FROM, 12)).toBe('2027-01-25');
    const labels = [...svg.matchAll(/<text class="week-label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toHaveLength(13);
    expect(labels[0]).toBe('11-02');
    expect(labels[12]).toBe('01-25');
  });

  it('is one accessible image labelled with every week', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    const label = /aria-label="([^"]*)"/.exec(svg)?.[1] ?? '';
    expect(label).toContain('23 exemptions in all');
    expect(label).toContain(`Week of ${weekStart(FROM, 4)}: 7`);
  });

  it('refers to nothing outside itself', () => {
    expect(svg).not.toMatch(/href|url\(|<image|<script|<foreignObject|\bon\w+=/i);
  });

  it('treats bad counts as zero instead of drawing them', () => {
    const odd = render(renderExpiryChart([Number.NaN, -3, 2], FROM));
    expect([...odd.matchAll(/data-count="(\d+)"/g)].map((m) => m[1])).toEqual(['0', '0', '2']);
    expect(odd).not.toContain('NaN');
  });
});
