/** A Content-Type header split into its lower-cased type and its parameters (RFC 9110 §8.3.1). */
export interface MediaType {
  readonly type: string;
  readonly params: ReadonlyMap<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const QUOTED = /^"([^"\\\x00-\x1f\x7f]*)"$/;

/**
 * Parses strictly: anything that is not `type/subtype *(; name=value)` is undefined, so a malformed or
 * doubled header (two values joined by a comma) is refused rather than guessed at. Parameter names are
 * lower-cased; a parameter given twice is malformed.
 */
export function parseMediaType(header: string | null | undefined): MediaType | undefined {
  if (!header) return undefined;
  const [essence = '', ...rest] = header.split(';');
  const [type, subtype, extra] = essence.trim().split('/');
  if (extra !== undefined || !type || !subtype || !TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
  const params = new Map<string, string>();
  for (const part of rest) {
    const at = part.indexOf('=');
    if (at < 0) return undefined;
    const name = part.slice(0, at).trim().toLowerCase();
    const raw = part.slice(at + 1).trim();
    const value = TOKEN.test(raw) ? raw : QUOTED.exec(raw)?.[1];
    if (!TOKEN.test(name) || value === undefined || params.has(name)) return undefined;
    params.set(name, value);
  }
  return { type: `${type}/${subtype}`.toLowerCase(), params };
}
