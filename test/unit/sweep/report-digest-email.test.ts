import { describe, expect, it } from 'vitest';
import type { SweepFinding } from '../../../lib/sweep/model.js';
import { DIGEST_LIST_CAP, digestEmail } from '../../../lib/sweep/report/digest-email.js';
import { escapeHtml } from '../../../lib/web/html.js';
import { finding, run } from './report-fixtures.js';

const URL_ = 'https://broker.contoso.com/api/sweeps/7ffffe6f2d1c-a1b2c3/report?t=v1.abc.def';
const IMG = '<img src=x onerror=alert(1)>';

const expired = (i: number, o: Partial<SweepFinding> = {}) => finding({ key: `e${i}`, kind: 'expired', displayName: `Expired waiver ${i}`, ...o });
const expiring = (i: number, o: Partial<SweepFinding> = {}) => finding({ key: `s${i}`, kind: 'expiring', threshold: '7', displayName: `Soon ${i}`, ...o });

describe('sweep digest email', () => {
  it('names the new findings and their kinds in the subject', () => {
    const mail = digestEmail({ run: run(), newFindings: [expired(1), expired(2), expired(3), expiring(1)], reportUrl: URL_ });
    expect(mail.subject).toBe('exemption-broker sweep: 4 new findings (3 expired, 1 expiring soon)');
  });

  it('names at most three kinds and counts the total it was given', () => {
    const mail = digestEmail({
      run: run(),
      newFindings: [expired(1), expiring(1), finding({ kind: 'stuck' }), finding({ kind: 'noExpiry' }), finding({ kind: 'noExpiry' })],
      reportUrl: URL_,
      totalNew: 12,
    });
    expect(mail.subject).toMatch(/^exemption-broker sweep: 12 new findings \(2 without expiry, 1 expiring soon, 1 expired, …\)$/);
    expect(digestEmail({ run: run(), newFindings: [expired(1)], reportUrl: URL_ }).subject).toBe('exemption-broker sweep: 1 new finding (1 expired)');
  });

  it('says so in the subject when the run was a dry run or did not succeed', () => {
    expect(digestEmail({ run: run({ dryRun: true, status: 'partial' }), newFindings: [], reportUrl: URL_ }).subject)
      .toBe('exemption-broker sweep: no new findings [run partial] [dry run]');
  });

  it('lists only new findings, grouped by kind in report order', () => {
    const known = expired(9, { isNew: false, displayName: 'Known one' });
    const mail = digestEmail({ run: run(), newFindings: [expiring(1), known, expired(1)], reportUrl: URL_ });
    expect(mail.text).not.toContain('Known one');
    expect(mail.html).not.toContain('Known one');
    expect(mail.subject).toContain('2 new findings');
    expect(mail.text.indexOf('Expiring soon (1 new)')).toBeLessThan(mail.text.indexOf('Expired (1 new)'));
    expect(mail.text).toContain('- Soon 1');
    expect(mail.text).toContain('- Expired waiver 1');
  });

  it('carries the report link in both parts', () => {
    const mail = digestEmail({ run: run(), newFindings: [expired(1)], reportUrl: URL_ });
    expect(mail.text).toContain(`\n${URL_}\n`);
    expect(mail.html).toContain(`href="${escapeHtml(URL_)}"`);
  });

  it('shows the counts: new ones and all of each kind', () => {
    const mail = digestEmail({ run: run(), newFindings: [expired(1)], reportUrl: URL_ });
    expect(mail.text).toMatch(/Expired\s+1\s+2\n/);
    expect(mail.text).toMatch(/No expiry\s+0\s+4\n/);
  });

  it(`lists at most ${DIGEST_LIST_CAP} and says how many more there are`, () => {
    const many = Array.from({ length: DIGEST_LIST_CAP + 15 }, (_, i) => expired(i));
    const mail = digestEmail({ run: run(), newFindings: [...many, expiring(1)], reportUrl: URL_ });
    expect(mail.text.match(/^- /gm)).toHaveLength(DIGEST_LIST_CAP);
    expect(mail.text).toContain('16 more new findings are not listed here');
    expect(mail.html).toContain('data-more="16"');
    expect(mail.html.match(/<li /g)).toHaveLength(DIGEST_LIST_CAP);
  });

  it('escapes hostile values in HTML and keeps them on one line in text', () => {
    const hostile = finding({
      displayName: `${IMG}\r\nBcc: victim@example.com`,
      subject: `/subscriptions/s/x"><script>alert(2)</script>`,
      detail: `gone ${IMG}\n- forged line`,
      expiresOn: `<b>${IMG}`,
    });
    const mail = digestEmail({ run: run({ id: `run"><svg onload=alert(3)>` }), newFindings: [hostile], reportUrl: URL_ });
    expect(mail.html).not.toMatch(/<img|<script|<svg|<b>/);
    expect(mail.html).toContain(escapeHtml(IMG));
    expect(mail.text).toContain(`- ${IMG} Bcc: victim@example.com\n`);
    expect(mail.text).not.toMatch(/^- forged line/m);
    expect(mail.text).not.toMatch(/^Bcc:/m);
  });

  it('keeps CR and LF out of the subject whatever the values', () => {
    const mail = digestEmail({ run: run({ status: 'failed' }), newFindings: [expired(1, { displayName: 'a\r\nBcc: x@y' })], reportUrl: URL_ });
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).not.toContain('Bcc');
  });
});
