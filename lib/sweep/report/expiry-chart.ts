import { html, join, type SafeHtml } from '../../web/html.js';

/**
 * Exemptions expiring per week over the next 13 weeks (91 days): counted while the sweep streams the
 * inventory, kept on the run record as `expiringPerWeek`, and drawn on the report page as inline SVG
 * (markup, so the page's no-scripts, load-nothing policy holds).
 */

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
export const CHART_WEEKS = 13;

/**
 * Counts expiries one at a time. Week `i` covers `[from + 7i days, from + 7(i+1) days)`; expiries before
 * `from`, at or after the end, missing or unparseable are not counted.
 */
export class ExpiryHistogram {
  private readonly start: number;
  private readonly buckets: number[];

  constructor(from: Date, readonly weeks: number = CHART_WEEKS) {
    if (!Number.isInteger(weeks) || weeks < 1) throw new RangeError('weeks must be a positive integer');
    this.start = from.getTime();
    if (Number.isNaN(this.start)) throw new RangeError('from is not a valid date');
    this.buckets = new Array<number>(weeks).fill(0);
  }

  /** Returns the week the expiry was counted in, or undefined when it was not counted. */
  add(expiresOn?: string): number | undefined {
    if (expiresOn === undefined || expiresOn === '') return undefined;
    const at = Date.parse(expiresOn);
    if (Number.isNaN(at) || at < this.start) return undefined;
    const week = Math.floor((at - this.start) / WEEK_MS);
    if (week >= this.weeks) return undefined;
    this.buckets[week] = (this.buckets[week] ?? 0) + 1;
    return week;
  }

  counts(): number[] {
    return [...this.buckets];
  }
}

export function expiringPerWeek(expiries: Iterable<string | undefined>, from: Date, weeks: number = CHART_WEEKS): number[] {
  const histogram = new ExpiryHistogram(from, weeks);
  for (const expiresOn of expiries) histogram.add(expiresOn);
  return histogram.counts();
}

/** The first day of week `i` as an ISO date. */
export function weekStart(from: Date, week: number): string {
  return new Date(from.getTime() + week * WEEK_MS).toISOString().slice(0, 10);
}

const WIDTH = 680;
const HEIGHT = 240;
const LEFT = 44;
const RIGHT = 8;
const TOP = 14;
const BOTTOM = 46;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A bar chart, one bar per week, scaled to the largest count. Every bar carries `data-week`,
 * `data-count` and a `<title>` (the browser's tooltip); the whole chart is one image for assistive
 * technology, labelled with every week's count.
 */
export function renderExpiryChart(counts: readonly number[], from: Date): SafeHtml {
  const safe = counts.map((n) => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0));
  const weeks = safe.length;
  const total = safe.reduce((a, b) => a + b, 0);
  const max = Math.max(1, ...safe);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = weeks > 0 ? plotWidth / weeks : plotWidth;
  const barWidth = Math.max(2, slot * 0.7);
  const baseline = TOP + plotHeight;
  const label = `Exemptions expiring per week over the next ${plural(weeks, 'week', 'weeks')}, ${plural(total, 'exemption', 'exemptions')} in all. `
    + safe.map((n, i) => `Week of ${weekStart(from, i)}: ${n}`).join('; ')
    + (weeks > 0 ? '.' : '');

  const bars = safe.map((n, i) => {
    const h = (n / max) * plotHeight;
    const x = LEFT + i * slot + (slot - barWidth) / 2;
    const start = weekStart(from, i);
    return html`<g class="week">
<rect class="bar" data-week="${i}" data-count="${n}" x="${x.toFixed(1)}" y="${(baseline - h).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="#0b57d0"><title>Week of ${start}: ${plural(n, 'exemption expires', 'exemptions expire')}</title></rect>
${n > 0 && html`<text x="${(x + barWidth / 2).toFixed(1)}" y="${(baseline - h - 3).toFixed(1)}" text-anchor="middle" font-size="11" fill="#1b1f24">${n}</text>`}
<text class="week-label" x="${(x + barWidth / 2).toFixed(1)}" y="${baseline + 14}" text-anchor="end" font-size="10" fill="#57606a" transform="rotate(-40 ${(x + barWidth / 2).toFixed(1)} ${baseline + 14})">${start.slice(5)}</text>
</g>`;
  });

  return html`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${label}" data-testid="expiry-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" style="max-width:${WIDTH}px;height:auto;display:block" font-family="sans-serif">
<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${baseline}" stroke="#8c959f"/>
<line x1="${LEFT}" y1="${baseline}" x2="${WIDTH - RIGHT}" y2="${baseline}" stroke="#8c959f"/>
<text x="${LEFT - 6}" y="${TOP + 4}" text-anchor="end" font-size="11" fill="#57606a">${max}</text>
<text x="${LEFT - 6}" y="${baseline}" text-anchor="end" font-size="11" fill="#57606a">0</text>
${join(bars, '\n')}
</svg>`;
}
