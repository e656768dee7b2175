import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { parseMediaType } from './media-type.js';
import { problem } from './problem.js';
import { readCappedBody, utf8 } from './read-capped-body.js';

export type BodyResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly response: HttpResponseInit };

/**
 * Reads a JSON body within the size cap, counting bytes as they stream in: 415 for another media type,
 * 413 when too large (with or without a Content-Length), 400 when unreadable, not UTF-8 or not JSON.
 */
export async function readJsonBody(request: Pick<HttpRequest, 'headers' | 'body'>, maxBytes: number): Promise<BodyResult> {
  const header = request.headers.get('content-type');
  const type = parseMediaType(header)?.type;
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type ?? '')) {
    const seen = header ? `is "${header.slice(0, 100)}"` : 'is missing';
    return { ok: false, response: problem(415, 'send the body as application/json', [{ field: 'content-type', message: `${seen}, expected application/json` }]) };
  }
  const body = await readCappedBody(request, maxBytes);
  if (!body.ok) return { ok: false, response: bodyRefusal(body.reason, maxBytes) };
  const text = utf8(body.bytes);
  if (text === undefined) return { ok: false, response: problem(400, 'the body is not valid UTF-8', [{ field: 'body', message: 'must be UTF-8 encoded JSON' }]) };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, response: problem(400, 'the body is not valid JSON', [{ field: 'body', message: (error as Error).message }]) };
  }
}

/** The answer for a body that could not be read whole: shared by every body reader. */
export function bodyRefusal(reason: 'too-large' | 'unreadable', maxBytes: number): HttpResponseInit {
  return reason === 'too-large'
    ? problem(413, `the body must be at most ${maxBytes} bytes`, [{ field: 'body', message: `exceeds ${maxBytes} bytes` }])
    : problem(400, 'the body could not be read to its end', [{ field: 'body', message: 'ended early or broke off' }]);
}
