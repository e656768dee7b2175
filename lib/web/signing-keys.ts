import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export type KeyPurpose = 'review-token' | 'csrf' | 'continuation' | 'sweep-report' | 'renewal';

/** One secret in settings, a separate derived key per purpose, so a CSRF value can never pass as a token. */
export function derivedKey(secret: string, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'exemption-broker', purpose, 32));
}

export function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/**
 * Constant-time comparison of a presented base64url MAC with the expected one, as text: decoding first
 * would let several spellings of the same bytes pass.
 */
export function macMatches(expected: Buffer, presented: string): boolean {
  const wanted = Buffer.from(expected.toString('base64url'));
  const given = Buffer.from(presented);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
