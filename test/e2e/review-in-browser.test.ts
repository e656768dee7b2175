import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFENDER, SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { browserSuiteMode, chromiumPath, launchChromium } from '../support/browser.js';
import { reviewLinkIn } from '../support/review-flow.js';

const mode = browserSuiteMode();
let app: AppUnderTest;
let browser: Browser;
printHostLogOnFailure(() => app);

describe.skipIf(mode === 'skip')('the emailed review link in Chromium', () => {
  beforeAll(async () => {
    if (mode === 'fail') throw new Error(`Chromium is required in CI but was not found at ${chromiumPath()}`);
    [app, browser] = await Promise.all([startAppUnderTest(), launchChromium()]);
    await mkdir('.artifacts', { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('opens the link, fills the form, approves and sees the confirmation', async () => {
    const { resourceId, assessmentKey } = SEED.twoAssignments;
    const intake = await app.post('/api/exemption-requests', {
      resourceId, assessmentKey, requestedBy: 'dev.owner@contoso.com', category: 'Waiver',
      justification: 'Reached only through a private endpoint.', ticketRef: 'CHG0042',
      expiresOn: new Date(Date.now() + 120 * 86_400_000).toISOString(),
    });
    expect(intake.status).toBe(202);
    const id: string = intake.json.id;
    const mail = await app.sim.smtp.waitFor((m) => m.text.includes(id), 15_000);

    const page = await browser.newPage();
    await page.goto(reviewLinkIn(mail));
    await expect.poll(() => page.getByTestId('justification').textContent()).toContain('private endpoint');
    const expiry = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.locator('#category').selectOption('Mitigated');
    await page.locator('#expiresOn').fill(expiry);
    await page.locator('#comment').fill('Accepted until the Q2 network migration.');
    await page.screenshot({ path: '.artifacts/e2e-review-page.png', fullPage: true });
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.locator('#approve').click()]);
    const confirmation = page.getByTestId('confirmation');
    await expect.poll(() => confirmation.textContent()).toMatch(/approved/i);
    await page.screenshot({ path: '.artifacts/e2e-decision-done.png', fullPage: true });

    const applied = await app.waitForState(id, ['applied', 'failed']);
    expect(applied.state).toBe('applied');
    expect(applied.category).toBe('Mitigated');
    expect(applied.expiresOn).toBe(`${expiry}T23:59:59.000Z`);
    expect(applied.decision).toMatchObject({ by: mail.to[0], comment: 'Accepted until the Q2 network migration.' });
    const exemptions = app.sim.exemptions().filter((e) => e.properties.metadata?.requestId === id);
    expect(exemptions).toHaveLength(2);
    expect(exemptions.every((e) => e.properties.exemptionCategory === 'Mitigated' && e.properties.expiresOn?.startsWith(expiry))).toBe(true);
    await page.close();
  });

  it('shows a resource-group-wide Defender-native request as scope-wide, with the count, and approving creates one standard assignment there', async () => {
    const rg = `/subscriptions/${SEED.subscriptions.production}/resourceGroups/rg-app-prod`;
    const intake = await app.post('/api/exemption-requests', {
      resourceId: rg, assessmentKey: DEFENDER.nativeAssessmentKey, requestedBy: 'dev.owner@contoso.com',
      justification: 'Secrets scanning is replaced by our own pipeline for this group.',
    });
    expect(intake.status).toBe(202);
    const { resources, unhealthy } = intake.json.targets[0].coverage;
    expect(resources).toBeGreaterThan(0);
    const mail = await app.sim.smtp.waitFor((m) => m.text.includes(intake.json.id), 15_000);
    const page = await browser.newPage();
    await page.goto(reviewLinkIn(mail));
    // Before the form, in words an approver cannot miss.
    const notice = page.getByTestId('scope-wide');
    await expect.poll(() => notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toContain(rg);
    expect(await page.getByTestId('target-coverage').textContent()).toContain(`Covers ${resources} resources today (${unhealthy} currently unhealthy)`);
    const target = page.getByTestId('target');
    expect(await target.getAttribute('data-scope-kind')).toBe('resourceGroup');
    expect(await page.getByTestId('exemptions').textContent()).toMatch(/Defender standard assignment/);
    await page.screenshot({ path: '.artifacts/e2e-review-scope-wide.png', fullPage: true });
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.locator('#approve').click()]);
    await expect.poll(() => page.getByTestId('confirmation').textContent()).toMatch(/approved/i);
    const applied = await app.waitForState(intake.json.id, ['applied', 'failed']);
    expect(applied.state).toBe('applied');
    expect(applied.exemptions).toEqual([expect.objectContaining({ kind: 'standard', resourceId: rg })]);
    await page.close();
  });

  it('shows scripts in the request\'s text as inert text', async () => {
    const hostile = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
    const intake = await app.post('/api/exemption-requests', {
      resourceId: SEED.initiativeAndDirect.resourceId, assessmentKey: SEED.initiativeAndDirect.assessmentKey,
      requestedBy: 'dev.owner@contoso.com', justification: hostile, ticketRef: '"><svg onload="window.__pwned=3">',
    });
    expect(intake.status).toBe(202);
    const mail = await app.sim.smtp.waitFor((m) => m.text.includes(intake.json.id), 15_000);
    expect(mail.html).not.toContain('<script>window');
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(reviewLinkIn(mail));
    expect(await page.getByTestId('justification').textContent()).toContain(hostile);
    expect(await page.getByTestId('ticketRef').textContent()).toContain('<svg onload=');
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('script, img[src=x], svg').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
