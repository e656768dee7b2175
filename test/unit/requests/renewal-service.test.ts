import { describe, expect, it } from 'vitest';
import { checkRenewalFields, latestRenewalDate, nameSeedOf, renewalDedupeKey, suggestedRenewalDate } from '../../../lib/requests/renewal-service.js';
import { sampleRequest } from '../../support/sample-request.js';

const NOW = new Date('2026-11-02T10:00:00.000Z');
const SETTINGS = { maxExpiryDays: 90, maxJustificationLength: 40 };

describe('renewal fields', () => {
  it('take a calendar date as the end of that day in UTC, and a date-time as given', () => {
    expect(checkRenewalFields({ expiresOn: '2026-12-01', justification: '  still needed ' }, NOW, SETTINGS))
      .toEqual({ ok: true, expiresOn: '2026-12-01T23:59:59.000Z', justification: 'still needed' });
    expect(checkRenewalFields({ expiresOn: '2026-12-01T12:00:00+02:00', justification: 'x' }, NOW, SETTINGS))
      .toMatchObject({ ok: true, expiresOn: '2026-12-01T10:00:00.000Z' });
  });

  it.each([
    ['2026-11-01', 'expiresOn'], ['2027-02-01', 'expiresOn'], ['2026-02-31', 'expiresOn'], ['tomorrow', 'expiresOn'],
    ['2026-12-01T10:00:00', 'expiresOn'], ['', 'expiresOn'],
  ])('refuse the expiry %j', (expiresOn, field) => {
    const check = checkRenewalFields({ expiresOn, justification: 'fine' }, NOW, SETTINGS);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason.field).toBe(field);
  });

  it('refuse an empty or too long justification', () => {
    for (const justification of ['', '   ', 'x'.repeat(41)]) {
      const check = checkRenewalFields({ expiresOn: '2026-12-01', justification }, NOW, SETTINGS);
      expect(!check.ok && check.reason.field, JSON.stringify(justification)).toBe('justification');
    }
  });
});

describe('renewal dates', () => {
  it('end no later than the window: the last day whose end is inside it', () => {
    expect(latestRenewalDate(NOW, 90)).toBe('2027-01-30');
    expect(checkRenewalFields({ expiresOn: latestRenewalDate(NOW, 90), justification: 'x' }, NOW, SETTINGS).ok).toBe(true);
    expect(checkRenewalFields({ expiresOn: '2027-01-31', justification: 'x' }, NOW, SETTINGS).ok).toBe(false);
  });

  it('suggest as long again as the old exemption was approved for, capped by the window', () => {
    const thirty = sampleRequest({ expiresOn: '2026-10-31T10:00:00.000Z', decision: { outcome: 'approved', by: 'a@contoso.com', at: '2026-10-01T10:00:00.000Z', channel: 'review-page' } });
    expect(suggestedRenewalDate(thirty, NOW, { maxExpiryDays: 90, defaultExpiryDays: 60 })).toBe('2026-12-02');
    const year = sampleRequest({ expiresOn: '2026-11-10T00:00:00.000Z', decision: { outcome: 'approved', by: 'a@contoso.com', at: '2025-11-10T00:00:00.000Z', channel: 'review-page' } });
    expect(suggestedRenewalDate(year, NOW, { maxExpiryDays: 90, defaultExpiryDays: 60 })).toBe(latestRenewalDate(NOW, 90));
  });
});

describe('renewal identity', () => {
  it('reuses the first request of a chain as the seed of exemption names', () => {
    expect(nameSeedOf(sampleRequest({ id: 'first' }))).toBe('first');
    expect(nameSeedOf(sampleRequest({ id: 'second', renewalOf: { requestId: 'first', nameSeed: 'first' } }))).toBe('first');
  });

  it('dedupes renewals per renewed request', () => {
    expect(renewalDedupeKey('a')).toBe(renewalDedupeKey('a'));
    expect(renewalDedupeKey('a')).not.toBe(renewalDedupeKey('b'));
  });
});
