import { reviewDigest } from '../../../lib/requests/write-guard.js';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExemptionRequest } from '../../../lib/requests/model.js';
import { renderDecisionDone, renderReviewPage } from '../../../lib/web/review-page.js';
import { chromiumAvailable, chromiumPath, launchChromium } from '../../support/browser.js';
import { IMG_BREAKOUT, SCRIPT_TAG } from '../../support/hostile-request.js';
import { sampleRequest } from '../../support/sample-request.js';

const ARTIFACTS = fileURLToPath(new URL('../../../.artifacts/', import.meta.url));
const SUB = '00000000-0000-0000-0000-00000000aaaa';
const HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">';

const request: ExemptionRequest = sampleRequest({
  id: 'req-7f3a9c',
  state: 'notified',
  recommendation: {
    assessmentKey: '1195afff-c881-495e-9bc5-1486211ae03f',
    displayName: 'Storage accounts should restrict network access using virtual network rules',
    severity: 'Medium',
    portalLink: 'portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/1195afff-c881-495e-9bc5-1486211ae03f',
  },
  targets: [{
    resourceId: `/subscriptions/${SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stcontosodata01`,
    assignments: [{
      policyAssignmentId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn`,
      displayName: 'Microsoft cloud security benchmark',
      policyDefinitionReferenceIds: ['storageAccountsShouldRestrictNetworkAccessUsingVirtualNetworkRulesMonitoringEffect'],
    }],
  }],
  category: 'Mitigated',
  justification: `Reachable only through a private endpoint; public network access is disabled.\n${HOSTILE_IMG}\n${SCRIPT_TAG}`,
  expiresOn: '2027-01-15T00:00:00.000Z',
  requestedBy: `owner@contoso.com${IMG_BREAKOUT}`,
  ticketRef: 'INC0012345',
});

const ciWithoutChromium = !chromiumAvailable() && Boolean(process.env.CI);
if (!chromiumAvailable() && !process.env.CI) {
  console.warn(`Skipping the review page browser tests: no Chromium at ${chromiumPath()} (set CHROMIUM_PATH to run them).`);
}

describe.skipIf(!chromiumAvailable() && !ciWithoutChromium)('review page in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let baseUrl: string;
  const posts: URLSearchParams[] = [];

  beforeAll(async () => {
    if (ciWithoutChromium) {
      throw new Error(`Chromium is required in CI but was not found at ${chromiumPath()}: install it or set CHROMIUM_PATH.`);
    }
    server = createServer((req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      if (req.method === 'POST' && req.url === '/api/review/decision') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          const form = new URLSearchParams(body);
          posts.push(form);
          const outcome = form.get('decision') === 'approve' ? 'approved' : 'rejected';
          const decision = { outcome, by: 'secops@contoso.com', at: '2026-11-02T10:00:00.000Z', channel: 'review-page' } as const;
          res.end(renderDecisionDone({ request: { ...request, state: outcome, decision }, by: 'secops@contoso.com', applyQueued: true }));
        });
        return;
      }
      res.end(renderReviewPage({
        request,
        approver: 'secops@contoso.com',
        token: 'signed.token',
        csrfToken: 'csrf-123',
        formAction: '/api/review/decision',
        maxExpiresOn: '2027-05-01',
        signedInAs: 'secops@contoso.com',
      }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('shows hostile justification as literal text and runs none of it', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(`${baseUrl}/api/review?token=signed.token`);

    const justification = await page.getByTestId('justification').innerText();
    expect(justification).toContain(HOSTILE_IMG);
    expect(justification).toContain(SCRIPT_TAG);
    expect(await page.getByTestId('requestedBy').innerText()).toBe(`owner@contoso.com${IMG_BREAKOUT}`);
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(consoleErrors).toEqual([]);
    expect(await page.getByTestId('state').innerText()).toContain('notified');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}review-page.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${ARTIFACTS}review-page-mobile.png`, fullPage: true });
    await page.close();
  });

  it('labels every decision field, so assistive technology can name it', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/api/review`);
    expect(await page.getByLabel('Exemption category').getAttribute('id')).toBe('category');
    expect(await page.getByLabel('Expires on (UTC)').getAttribute('id')).toBe('expiresOn');
    expect(await page.getByLabel('Comment').getAttribute('id')).toBe('comment');
    expect(await page.getByRole('button', { name: 'Approve' }).getAttribute('id')).toBe('approve');
    expect(await page.getByRole('button', { name: 'Reject' }).getAttribute('id')).toBe('reject');
    await page.close();
  });

  it('submits a decision with JavaScript disabled', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/api/review`);
    expect(await page.locator('#category').inputValue()).toBe('Mitigated');
    expect(await page.locator('#expiresOn').inputValue()).toBe('2027-01-15');
    expect(await page.locator('#expiresOn').getAttribute('max')).toBe('2027-05-01');

    await page.locator('#category').selectOption('Waiver');
    await page.locator('#expiresOn').fill('2027-02-01');
    await page.locator('#comment').fill('OK until the migration <b>');
    posts.length = 0;
    await page.locator('#approve').click();
    await page.getByTestId('confirmation').waitFor();

    expect(posts).toHaveLength(1);
    expect(Object.fromEntries(posts[0] ?? [])).toEqual({
      token: 'signed.token',
      csrf: 'csrf-123',
      reviewed: reviewDigest(request.targets),
      category: 'Waiver',
      expiresOn: '2027-02-01',
      comment: 'OK until the migration <b>',
      decision: 'approve',
    });
    expect(await page.getByTestId('confirmation').innerText()).toMatch(/approved.*exemptions are being created/s);
    await page.screenshot({ path: `${ARTIFACTS}decision-done.png`, fullPage: true });
    await context.close();
  });

  it('rejects without needing a valid date', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/api/review`);
    await page.locator('#expiresOn').fill('');
    posts.length = 0;
    await page.locator('#reject').click();
    await page.getByTestId('confirmation').waitFor();
    expect(posts[0]?.get('decision')).toBe('reject');
    expect(await page.getByTestId('confirmation').innerText()).toContain('rejected');
    await context.close();
  });
});
