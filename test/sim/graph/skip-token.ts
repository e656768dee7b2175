// $skipToken: opaque to clients, stateless on the server. It carries the query's fingerprint and the
// sort key of the last row served (keyset paging by lower-cased id), signed so a client cannot forge or
// edit one. Nothing is held per cursor, so any number of clients can page the same or different queries
// at once, and a row that exists throughout paging is served exactly once.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

interface Payload { q: string; after: string }

export class SkipTokens {
  private readonly key = randomBytes(32);

  /** Identifies a query + scope: a token only continues the query it came from. */
  static fingerprint(parts: unknown): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
  }

  issue(fingerprint: string, afterKey: string): string {
    const body = Buffer.from(JSON.stringify({ q: fingerprint, after: afterKey } satisfies Payload)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The key to continue after, or a reason the token is unusable for this query. */
  read(token: string, fingerprint: string): { after: string } | { error: string } {
    const [body, sig, extra] = token.split('.');
    if (!body || !sig || extra !== undefined) return { error: 'is malformed' };
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { error: 'was not issued by this service' };
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
    if (p.q !== fingerprint) return { error: 'belongs to a different query or scope' };
    return { after: p.after };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
