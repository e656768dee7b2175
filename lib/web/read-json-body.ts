import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { problem } from './problem.js';

export type BodyResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly response: HttpResponseInit };

/** Reads a JSON body within the size cap: 415 for another media type, 413 when too large, 400 when malformed. */
export async function readJsonBody(request: HttpRequest, maxBytes: number): Promise<BodyResult> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) {
    return { ok: false, response: problem(415, 'send the body as application/json', [{ field: 'content-type', message: `is "${type || 'missing'}", expected application/json` }]) };
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return { ok: false, response: tooLarge(maxBytes) };
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > maxBytes) return { ok: false, response: tooLarge(maxBytes) };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch (error) {
    return { ok: false, response: problem(400, 'the body is not valid JSON', [{ field: 'body', message: (error as Error).message }]) };
  }
}

function tooLarge(maxBytes: number): HttpResponseInit {
  return problem(413, `the body must be at most ${maxBytes} bytes`, [{ field: 'body', message: `exceeds ${maxBytes} bytes` }]);
}
