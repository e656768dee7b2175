import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINDING_KINDS, type SweepFinding } from '../../lib/sweep/model.js';
import { parseReportFilter } from '../../lib/sweep/report/report-filter.js';
import { renderReportPage } from '../../lib/sweep/report/report-page.js';
import { PAGE_CSP } from '../../lib/web/page-shell.js';
import { browserSuiteMode, chromiumPath, launchChromium } from '../support/browser.js';
import { finding, run as sampleRun } from '../unit/sweep/report-fixtures.js';

/**
 * The sweep report page as Chromium renders it under the page CSP: a tiny server stands in for the HTTP
 * function (it checks the token the way the function will, and filters with the query string).
 */
const mode = browserSuiteMode();
const TOKEN = 'v1.eyJydW4iOiJ4In0.signature_-';
const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">';
const HOSTILE_DETAIL = '"><script>window.__pwned=2</script><svg onload="window.__pwned=3"></svg>';
const COUNTS = [0, 3, 1, 0, 7, 2, 0, 0, 1, 0, 0, 4, 5];
const BY_KIND = { expiring: 3, expired: 2, noExpiry: 4, orphanedResource: 1 };

const run = sampleRun({ counts: { ...sampleRun().counts, findings: 10, byKind: BY_KIND }, expiringPerWeek: COUNTS });
const findings: SweepFinding[] = [
  finding({ key: 'k1', kind: 'expired', displayName: 'Storage waiver alpha', isNew: true }),
  finding({ key: 'k2', kind: 'expired', displayName: 'Storage waiver beta', isNew: false }),
  finding({ key: 'k3', kind: 'noExpiry', displayName: 'Key Vault forever', isNew: true }),
  finding({ key: 'k4', kind: 'orphanedResource', displayName: HOSTILE_NAME, detail: HOSTILE_DETAIL, isNew: true }),
  finding({ key: 'k5', kind: 'expiring', threshold: '7', displayName: 'Storage soon', isNew: true }),
];
const PATH = `/api/sweeps/${run.id}/report`;

let server: Server;
let browser: Browser;
let base: string;
const served: URL[] = [];

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`); });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

describe.skipIf(mode === 'skip')('the sweep report page in Chromium', () => {
  beforeAll(async () => {
    if (mode === 'fail') throw new Error(`Chromium is required in CI but was not found at ${chromiumPath()}`);
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      served.push(url);
      res.setHeader('content-security-policy', PAGE_CSP);
      res.setHeader('content-type', 'text/html; charset=utf-8');
      if (url.pathname === '/control') {
        // A page that breaks the policy, to prove the listeners below do see a violation.
        res.end('<!doctype html><title>control</title><img src="/blocked.png" alt="">');
        return;
      }
      if (url.pathname !== PATH || url.searchParams.get('t') !== TOKEN) {
        res.statusCode = 403;
        res.end('<!doctype html><title>no</title>forbidden');
        return;
      }
      res.end(renderReportPage({ run, findings, filter: parseReportFilter(url.searchParams), now: new Date('2026-11-02T08:00:00Z'), token: TOKEN }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('notices a CSP violation when there is one (control for the checks below)', async () => {
    const page = await browser.newPage();
    const problems = watch(page);
    await page.goto(`${base}/control`);
    await expect.poll(() => problems.join('\n')).toMatch(/Content Security Policy/i);
    await page.close();
  });

  it('shows every kind\'s count, zero included', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}${PATH}?t=${TOKEN}`);
    for (const kind of FINDING_KINDS) {
      expect(await page.getByTestId(`count-${kind}`).textContent(), kind).toBe(String(BY_KIND[kind as keyof typeof BY_KIND] ?? 0));
    }
    expect(await page.getByTestId('count-total').textContent()).toBe('10');
    await page.close();
  });

  it('renders the chart: 13 bars whose drawn heights order like the counts, each with its count in a title', async () => {
    const page = await browser.newPage();
    const problems = watch(page);
    await page.goto(`${base}${PATH}?t=${TOKEN}`);
    const chart = page.getByTestId('expiry-chart');
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.getAttribute('aria-label')).toContain('23 exemptions in all');
    const box = await chart.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(200);
    const bars = await page.locator('[data-testid=expiry-chart] rect.bar').evaluateAll((rects) => rects.map((r) => ({
      height: r.getBoundingClientRect().height,
      title: r.querySelector('title')?.textContent ?? '',
    })));
    expect(bars).toHaveLength(13);
    for (let i = 0; i < 13; i++) {
      expect(bars[i]?.title).toContain(`: ${COUNTS[i]} exemption`);
      for (let j = 0; j < 13; j++) {
        expect(Math.sign((bars[i]?.height ?? 0) - (bars[j]?.height ?? 0)), `bars ${i} and ${j}`).toBe(Math.sign((COUNTS[i] ?? 0) - (COUNTS[j] ?? 0)));
      }
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows hostile values as text and runs nothing', async () => {
    const page = await browser.newPage();
    const problems = watch(page);
    await page.goto(`${base}${PATH}?t=${TOKEN}`);
    const row = page.locator('tr[data-testid=finding][data-kind=orphanedResource]');
    expect(await row.getByTestId('display-name').textContent()).toBe(HOSTILE_NAME);
    expect(await row.getByTestId('detail').textContent()).toBe(HOSTILE_DETAIL);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('script, img, main svg:not([data-testid=expiry-chart])').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('filters on the server through the form, keeping the token', async () => {
    const page = await browser.newPage();
    const problems = watch(page);
    await page.goto(`${base}${PATH}?t=${TOKEN}`);
    expect(await page.getByTestId('finding').count()).toBe(5);

    await page.locator('#kind').selectOption('expired');
    await Promise.all([page.waitForURL(/kind=expired/), page.locator('#apply').click()]);
    expect(new URL(page.url()).searchParams.get('t')).toBe(TOKEN);
    expect(await page.getByTestId('finding').count()).toBe(2);

    await page.locator('#q').fill('BETA');
    await Promise.all([page.waitForURL(/q=BETA/), page.locator('#apply').click()]);
    expect(await page.getByTestId('display-name').allTextContents()).toEqual(['Storage waiver beta']);

    await page.locator('#q').fill('storage');
    await page.locator('#new').check();
    await Promise.all([page.waitForURL(/new=1/), page.locator('#apply').click()]);
    expect(await page.getByTestId('display-name').allTextContents()).toEqual(['Storage waiver alpha']);
    expect(await page.locator('#kind').inputValue()).toBe('expired');
    expect(await page.locator('#new').isChecked()).toBe(true);
    expect(await page.getByTestId('match-count').textContent()).toContain('1 of 5 findings match');

    const last = served.at(-1);
    expect(last?.pathname).toBe(PATH);
    expect(Object.fromEntries(last?.searchParams ?? [])).toEqual({ t: TOKEN, kind: 'expired', q: 'storage', new: '1' });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says an invalid kind in the address was ignored, without echoing it', async () => {
    const page = await browser.newPage();
    const kind = '<b id="reflected">kind-marker</b>';
    await page.goto(`${base}${PATH}?t=${TOKEN}&kind=${encodeURIComponent(kind)}`);
    expect(await page.getByTestId('ignored').count()).toBe(1);
    expect(await page.getByTestId('finding').count()).toBe(5);
    expect(await page.locator('#reflected').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('kind-marker');
    await page.close();
  });
});
