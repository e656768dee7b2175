import { randomBytes } from 'node:crypto';

/** Newest first as text: an inverted millisecond timestamp, then randomness against same-millisecond runs. */
export function newRunId(now: Date): string {
  return `${(9_999_999_999_999 - now.getTime()).toString().padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
}
