import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services } from '../../lib/composition-root.js';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { browserSuiteMode, chromiumPath, launchChromium } from '../support/browser.js';
import { openReview, reviewLinkIn, submitReview } from '../support/review-flow.js';

const mode = browserSuiteMode();
let app: AppUnderTest;
let browser: Browser;
printHostLogOnFailure(() => app);

const REQUESTER = 'dev.owner@contoso.com';
const HOSTILE = '</textarea><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> & "quoted"';

describe.skipIf(mode === 'skip')('the emailed renewal link in Chromium', () => {
  let link: string;
  let oldId: string;

  beforeAll(async () => {
    if (mode === 'fail') throw new Error(`Chromium is required in CI but was not found at ${chromiumPath()}`);
    [app, browser] = await Promise.all([startAppUnderTest(), launchChromium()]);
    await mkdir('.artifacts', { recursive: true });
    const { resourceId, assessmentKey } = SEED.initiativeAndDirect;
    const intake = await app.post('/api/exemption-requests', {
      resourceId, assessmentKey, requestedBy: REQUESTER, justification: HOSTILE, expiresOn: new Date(Date.now() + 20 * 86_400_000).toISOString(),
    });
    expect(intake.status).toBe(202);
    oldId = intake.json.id;
    const review = await app.sim.smtp.waitFor((m) => m.text.includes(oldId) && /api\/review\?token=/.test(m.text), 15_000);
    await app.waitForState(oldId, ['notified']);
    expect((await submitReview(app.baseUrl, await openReview(reviewLinkIn(review)), { decision: 'approve' })).status).toBe(200);
    expect((await app.waitForState(oldId, ['applied', 'failed'])).state).toBe('applied');
    const stored = await (await services().store()).get(oldId);
    await (await services().sweepNotices()).expiring(stored!.value, { expiresOn: stored!.value.expiresOn, thresholdDays: 30 });
    const notice = await app.sim.smtp.waitFor((m) => m.to[0] === REQUESTER && /api\/renew\?t=/.test(m.text), 10_000);
    link = /https?:\/\/\S+\/api\/renew\?t=[\w.%-]+/.exec(notice.text)![0];
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows hostile text as inert text, under a strict CSP', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const response = await page.goto(link);
    expect(response!.status()).toBe(200);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(await page.getByTestId('justification').textContent()).toBe(HOSTILE);
    // Prefilled and editable, whole: the closing tag in it did not end the textarea.
    expect(await page.locator('#justification').inputValue()).toBe(HOSTILE);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('script, img[src=x]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.screenshot({ path: '.artifacts/e2e-renewal-page.png', fullPage: true });
    await page.close();
    expect((await app.get(`/api/exemption-requests/${oldId}`)).json.state).toBe('applied');
  });

  it('asks for a renewal with JavaScript off: the plain form posts, and the renewal is stored as entered', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(link);
    const suggested = await page.locator('#expiresOn').inputValue();
    expect(suggested).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await page.locator('#expiresOn').getAttribute('max')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const expiry = new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10);
    await page.locator('#expiresOn').fill(expiry);
    await page.locator('#justification').fill(`Still needed. ${HOSTILE}`);
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.locator('#renew').click()]);
    await expect.poll(() => page.getByTestId('confirmation').textContent()).toMatch(/renewal request is recorded/i);
    const renewalId = (await page.getByTestId('renewal-id').textContent())!.trim();
    await page.screenshot({ path: '.artifacts/e2e-renewal-done.png', fullPage: true });
    await context.close();

    const renewal = (await app.get(`/api/exemption-requests/${renewalId}`)).json;
    expect(renewal).toMatchObject({
      state: expect.stringMatching(/^(received|notified)$/), requestedBy: REQUESTER, justification: `Still needed. ${HOSTILE}`,
      expiresOn: `${expiry}T23:59:59.000Z`, renewalOf: { requestId: oldId },
    });
  });
});
