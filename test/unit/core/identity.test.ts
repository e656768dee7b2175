import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIdentity, distinctIdentities, excludingIdentity, sameIdentity } from '../../../lib/requests/identity.js';

describe('canonicalIdentity', () => {
  it.each([
    ['case and surrounding space', '  Alice@Contoso.COM\t', 'alice@contoso.com'],
    ['a +tag in the local part', 'alice+exempt@contoso.com', 'alice@contoso.com'],
    ['full-width letters and at sign (NFKC)', 'ａｌｉｃｅ＠ｃｏｎｔｏｓｏ.ｃｏｍ', 'alice@contoso.com'],
    ['a compatibility ligature (NFKC)', 'ﬁnance@contoso.com', 'finance@contoso.com'],
    ['tag, case and width together', ' ＡＬＩＣＥ+Tag＠Contoso.com ', 'alice@contoso.com'],
  ])('folds %s', (_label, spelled, canonical) => {
    expect(canonicalIdentity(spelled)).toBe(canonical);
  });

  it('keeps distinct people distinct', () => {
    expect(canonicalIdentity('alice@contoso.com')).not.toBe(canonicalIdentity('alice@fabrikam.com'));
    expect(canonicalIdentity('alice@contoso.com')).not.toBe(canonicalIdentity('alicia@contoso.com'));
    // A plus sign that starts the local part is not a tag separator.
    expect(canonicalIdentity('+alice@contoso.com')).toBe('+alice@contoso.com');
  });

  it('is idempotent for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      const once = canonicalIdentity(text);
      expect(canonicalIdentity(once)).toBe(once);
    }));
  });

  it('ignores any +tag and any case for any local part and domain', () => {
    const part = fc.stringMatching(/^[a-z0-9._-]{1,20}$/);
    fc.assert(fc.property(part, part, part, (local, tag, domain) => {
      fc.pre(!local.startsWith('+'));
      expect(sameIdentity(`${local.toUpperCase()}+${tag}@${domain}`, `${local}@${domain.toUpperCase()}`)).toBe(true);
    }));
  });
});

describe('identity lists', () => {
  it('drops the requester under any spelling, and nobody else', () => {
    const approvers = ['secops@contoso.com', 'Alice+sec@Contoso.com', 'bob@contoso.com'];
    expect(excludingIdentity(approvers, 'ＡＬＩＣＥ@contoso.com')).toEqual(['secops@contoso.com', 'bob@contoso.com']);
  });

  it('keeps the first spelling of each person', () => {
    expect(distinctIdentities(['a@x.io', 'A+1@x.io', 'b@x.io', 'a@X.IO'])).toEqual(['a@x.io', 'b@x.io']);
  });

  it('never calls an absent identity the same as anything', () => {
    expect(sameIdentity(undefined, 'a@x.io')).toBe(false);
    expect(sameIdentity('a@x.io', undefined)).toBe(false);
  });
});
