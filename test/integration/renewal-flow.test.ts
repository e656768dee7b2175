import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services } from '../../lib/composition-root.js';
import { issueRenewalToken } from '../../lib/web/renewal-links.js';
import { reviewLink } from '../../lib/web/review-links.js';
import type { SimMail } from '../sim/index.js';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { openReview, reviewLinkIn, submitReview } from '../support/review-flow.js';

let app: AppUnderTest;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest();
});
afterAll(async () => app?.close());

const { resourceId, assessmentKey } = SEED.twoAssignments;
const contacts = SEED.contactEmails[SEED.subscriptions.production]!;
const REQUESTER = 'dev.owner@contoso.com';
const APPROVER = contacts[1]!;
const DAY = 86_400_000;

function renewalLinkIn(mail: SimMail): string {
  const match = /https?:\/\/\S+\/api\/renew\?t=[\w.%-]+/.exec(mail.text);
  if (!match) throw new Error(`no renewal link in mail "${mail.subject}"`);
  return match[0];
}

interface OpenedRenewal { status: number; headers: Headers; html: string; cookie: string; token: string; csrf: string }

async function openRenewal(link: string): Promise<OpenedRenewal> {
  const response = await fetch(link);
  const html = await response.text();
  return {
    status: response.status, headers: response.headers, html,
    cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
    token: hidden(html, 't'), csrf: hidden(html, 'csrf'),
  };
}

async function postRenewal(form: Record<string, string>, cookie: string, headers: Record<string, string> = {}): Promise<{ status: number; html: string }> {
  const response = await fetch(`${app.baseUrl}/api/renew`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, html: await response.text() };
}

function hidden(html: string, name: string): string {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';
}

const renewalIdIn = (html: string) => /data-testid="renewal-id">([0-9a-z]+)</.exec(html)?.[1];
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** An applied request of REQUESTER, approved by APPROVER through the review page. */
async function appliedRequest(): Promise<any> {
  const intake = await app.post('/api/exemption-requests', {
    resourceId, assessmentKey, requestedBy: REQUESTER, justification: 'Reached only through a private endpoint.',
    expiresOn: new Date(Date.now() + 30 * DAY).toISOString(),
  });
  expect(intake.status).toBe(202);
  const id: string = intake.json.id;
  const mail = await app.sim.smtp.waitFor((m) => m.to.includes(APPROVER) && m.text.includes(id), 15_000);
  await app.waitForState(id, ['notified']);
  const decided = await submitReview(app.baseUrl, await openReview(reviewLinkIn(mail)), { decision: 'approve' });
  expect(decided.status).toBe(200);
  const applied = await app.waitForState(id, ['applied', 'failed']);
  expect(applied.state).toBe('applied');
  return applied;
}

describe('renewing an expiring exemption through the emailed link', () => {
  let old: any;
  let originals: { id: string; expiresOn?: string | null }[];
  const mails: Record<string, SimMail> = {};

  beforeAll(async () => {
    old = await appliedRequest();
    originals = app.sim.exemptions().filter((e) => e.properties.metadata?.requestId === old.id).map((e) => ({ id: e.id, expiresOn: e.properties.expiresOn }));
    expect(originals).toHaveLength(2);
    // The sweep's notice, as the engine will send it.
    const stored = await (await services().store()).get(old.id);
    await (await services().sweepNotices()).expiring(stored!.value, { expiresOn: old.expiresOn, thresholdDays: 30 });
    for (const who of [REQUESTER, APPROVER]) {
      mails[who] = await app.sim.smtp.waitFor((m) => m.to.length === 1 && m.to[0] === who && /api\/renew\?t=/.test(m.text), 10_000);
    }
  });

  it('mails requester and approver each a personal link to a page that changes nothing', async () => {
    expect(renewalLinkIn(mails[REQUESTER]!)).not.toBe(renewalLinkIn(mails[APPROVER]!));
    expect(mails[REQUESTER]!.subject).toContain('expires');
    const before = await app.storedRequestCount();
    const page = await openRenewal(renewalLinkIn(mails[APPROVER]!));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('set-cookie')).toMatch(/^eb_csrf=[\w-]+; Path=\/api\/renew; HttpOnly; SameSite=Strict/);
    expect(page.html).toContain('Reached only through a private endpoint.');
    for (const e of originals) expect(page.html).toContain(e.id);
    expect(page.token).toBe(new URL(renewalLinkIn(mails[APPROVER]!)).searchParams.get('t'));
    expect(page.csrf).not.toBe('');
    expect(await app.storedRequestCount()).toBe(before);
    const trail = (await app.get(`/api/exemption-requests/${old.id}`)).json.auditTrail;
    expect(trail.map((e: { action: string }) => e.action)).not.toContain('renewal-requested');
  });

  it('refuses tampered, expired and foreign links, missing CSRF and bad fields, storing nothing', async () => {
    const before = await app.storedRequestCount();
    const link = renewalLinkIn(mails[REQUESTER]!);
    const page = await openRenewal(link);
    const token = new URL(link).searchParams.get('t')!;
    const [v, payload, mac] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'mallory@contoso.com' })).toString('base64url');
    const expired = issueRenewalToken(app.env.REVIEW_SIGNING_KEY!, { requestId: old.id, recipient: REQUESTER, expiresAt: new Date(Date.now() - 1000) });
    const stranger = issueRenewalToken(app.env.REVIEW_SIGNING_KEY!, { requestId: old.id, recipient: 'mallory@contoso.com', expiresAt: new Date(Date.now() + DAY) });
    // A review link is signed for another purpose and opens nothing here.
    const review = new URL(reviewLink({ publicBaseUrl: app.baseUrl, signingKey: app.env.REVIEW_SIGNING_KEY!, linkTtlHours: 1 }, old.id, REQUESTER, new Date())).searchParams.get('token')!;

    expect((await openRenewal(`${app.baseUrl}/api/renew?t=${v}.${forged}.${mac}`)).status).toBe(403);
    expect((await openRenewal(`${app.baseUrl}/api/renew?t=${encodeURIComponent(review)}`)).status).toBe(403);
    expect((await openRenewal(`${app.baseUrl}/api/renew?t=${expired}`)).status).toBe(410);
    expect((await openRenewal(`${app.baseUrl}/api/renew?t=${stranger}`)).status).toBe(403);
    expect((await openRenewal(`${app.baseUrl}/api/renew`)).status).toBe(400);

    const good = { t: page.token, csrf: page.csrf, expiresOn: date(Date.now() + 60 * DAY), justification: 'Still behind the private endpoint.' };
    expect((await postRenewal({ ...good, t: `${v}.${forged}.${mac}` }, page.cookie)).status).toBe(403);
    expect((await postRenewal({ ...good, t: expired }, page.cookie)).status).toBe(410);
    expect((await postRenewal(good, '')).status).toBe(403);
    expect((await postRenewal({ ...good, csrf: 'x'.repeat(43) }, page.cookie)).status).toBe(403);
    expect((await postRenewal(good, page.cookie, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await postRenewal({ ...good, expiresOn: date(Date.now() + 400 * DAY) }, page.cookie)).status).toBe(400);
    expect((await postRenewal({ ...good, expiresOn: date(Date.now() - DAY) }, page.cookie)).status).toBe(400);
    expect((await postRenewal({ ...good, justification: '   ' }, page.cookie)).status).toBe(400);
    expect((await postRenewal({ ...good, justification: 'x'.repeat(513) }, page.cookie)).status).toBe(400);

    expect(await app.storedRequestCount()).toBe(before);
    const trail = (await app.get(`/api/exemption-requests/${old.id}`)).json.auditTrail;
    expect(trail.map((e: { action: string }) => e.action)).not.toContain('renewal-requested');
    expect((await app.get(`/api/exemption-requests/${old.id}`)).json.state).toBe('applied');
  });

  it('creates one renewal, reviewed by the other approvers, that extends the same exemptions in place', async () => {
    const before = await app.storedRequestCount();
    // The approver asks: they become the renewal's requester, so they cannot approve it.
    const page = await openRenewal(renewalLinkIn(mails[APPROVER]!));
    const newExpiry = date(Date.now() + 60 * DAY);
    const form = { t: page.token, csrf: page.csrf, expiresOn: newExpiry, justification: 'Migration slipped to next quarter.' };
    const asked = await postRenewal(form, page.cookie);
    expect(asked.status).toBe(200);
    const renewalId = renewalIdIn(asked.html)!;
    expect(renewalId).toMatch(/^[0-9a-z]+$/);
    expect(renewalId).not.toBe(old.id);
    expect(await app.storedRequestCount()).toBe(before + 1);

    // A second click, with the same link or the requester's own, answers with the same renewal.
    const again = await postRenewal(form, page.cookie);
    expect(again.status).toBe(200);
    expect(renewalIdIn(again.html)).toBe(renewalId);
    const otherPage = await openRenewal(renewalLinkIn(mails[REQUESTER]!));
    expect(otherPage.status).toBe(200);
    expect(renewalIdIn(otherPage.html)).toBe(renewalId);
    expect(await app.storedRequestCount()).toBe(before + 1);

    const renewal = (await app.get(`/api/exemption-requests/${renewalId}`)).json;
    expect(renewal).toMatchObject({
      source: 'renewal', requestedBy: APPROVER, requesterAssurance: 'asserted', justification: 'Migration slipped to next quarter.',
      expiresOn: `${newExpiry}T23:59:59.000Z`, renewalOf: { requestId: old.id, nameSeed: old.id }, targets: old.targets,
    });
    expect(renewal.auditTrail[0].detail).toMatch(/signed renewal link/);
    const oldTrail = (await app.get(`/api/exemption-requests/${old.id}`)).json.auditTrail;
    expect(oldTrail.filter((e: { action: string }) => e.action === 'renewal-requested').map((e: { detail: string }) => e.detail))
      .toEqual([`renewal requested: ${renewalId}`]);

    // The approvers get the normal review email, the renewal's requester does not.
    const notified = await app.waitForState(renewalId, ['notified']);
    expect(notified.approvers).not.toContain(APPROVER);
    const reviewer = notified.approvers[0] as string;
    const reviewMail = await app.sim.smtp.waitFor((m) => m.to.includes(reviewer) && m.text.includes(renewalId), 15_000);
    expect(reviewMail.text).toContain(`request ${old.id}`);
    expect(app.sim.smtp.messages().some((m) => m.to.includes(APPROVER) && m.text.includes(renewalId) && /api\/review\?token=/.test(m.text))).toBe(false);

    // Even with a review link in their name, the renewal's requester cannot approve it.
    const own = await openReview(reviewLink({ publicBaseUrl: app.baseUrl, signingKey: app.env.REVIEW_SIGNING_KEY!, linkTtlHours: 1 }, renewalId, APPROVER, new Date()));
    expect(own.status).toBe(403);
    expect(own.html).toContain('own request');
    expect((await app.get(`/api/exemption-requests/${renewalId}`)).json.state).toBe('notified');

    const decided = await submitReview(app.baseUrl, await openReview(reviewLinkIn(reviewMail)), { decision: 'approve' });
    expect(decided.status).toBe(200);
    const applied = await app.waitForState(renewalId, ['applied', 'failed']);
    expect(applied.state).toBe('applied');
    expect(applied.exemptions.map((e: { id: string }) => e.id).sort()).toEqual(originals.map((e) => e.id).sort());

    const now = app.sim.exemptions().filter((e) => originals.some((o) => o.id === e.id));
    expect(now).toHaveLength(2);
    for (const exemption of now) {
      expect(originals.find((o) => o.id === exemption.id)!.expiresOn).not.toBe(`${newExpiry}T23:59:59.000Z`);
      expect(exemption.properties.expiresOn).toBe(`${newExpiry}T23:59:59.000Z`);
      expect(exemption.properties.metadata).toMatchObject({ requestId: renewalId, requestedBy: APPROVER, approvedBy: reviewer });
      expect(exemption.properties.description).toContain('Migration slipped to next quarter.');
    }
    // Extended in place: no exemption of the broker's was added on the resource.
    const onResource = app.sim.exemptions().filter((e) => e.id.toLowerCase().startsWith(resourceId.toLowerCase()) && e.properties.metadata?.managedBy === 'exemption-broker');
    expect(onResource).toHaveLength(2);

    const superseded = await app.waitForState(old.id, ['renewed']);
    const renewedEntry = superseded.auditTrail.find((e: { action: string }) => e.action === 'renewed');
    expect(renewedEntry).toMatchObject({ from: 'applied', to: 'renewed', channel: 'apply-worker' });
    expect(renewedEntry.detail).toContain(renewalId);
    const renewalTrail = (await app.get(`/api/exemption-requests/${renewalId}`)).json.auditTrail.map((e: { action: string; detail?: string }) => e.action);
    expect(renewalTrail).toEqual(['created', 'approvers-resolved', 'notified', 'approved', 'applying', 'applied', 'superseded']);

    // The old links open nothing now: the request was renewed.
    const after = await app.storedRequestCount();
    const stale = await openRenewal(renewalLinkIn(mails[REQUESTER]!));
    expect(stale.status).toBe(409);
    expect((await postRenewal({ ...form }, page.cookie)).status).toBe(410);
    expect(await app.storedRequestCount()).toBe(after);
    expect(app.sim.violations).toEqual([]);
  });
});
