import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { parseMediaType } from './media-type.js';
import { problem } from './problem.js';
import { readCappedBody, utf8 } from './read-capped-body.js';
import { bodyRefusal } from './read-json-body.js';

export const FORM_TYPE = 'application/x-www-form-urlencoded';

export type FormResult = { readonly ok: true; readonly form: URLSearchParams } | { readonly ok: false; readonly response: HttpResponseInit };

/**
 * Reads an HTML form post: only application/x-www-form-urlencoded (415 otherwise; a charset parameter
 * is allowed and must be UTF-8), at most `maxBytes` counted while streaming (413), each field at most
 * once (400: with two values, which one counts would be a guess). Refusals come before anything of the
 * form is acted on.
 */
export async function readFormBody(request: Pick<HttpRequest, 'headers' | 'body'>, maxBytes: number): Promise<FormResult> {
  const header = request.headers.get('content-type');
  const media = parseMediaType(header);
  const charset = media?.params.get('charset')?.toLowerCase();
  const extra = [...(media?.params.keys() ?? [])].filter((name) => name !== 'charset');
  if (media?.type !== FORM_TYPE || (charset !== undefined && charset !== 'utf-8') || extra.length > 0) {
    const given = header ? `is "${header.slice(0, 100)}"` : 'is missing';
    return { ok: false, response: problem(415, `send the form as ${FORM_TYPE}`, [{ field: 'content-type', message: `${given}, expected ${FORM_TYPE} (UTF-8)` }]) };
  }
  const body = await readCappedBody(request, maxBytes);
  if (!body.ok) return { ok: false, response: bodyRefusal(body.reason, maxBytes) };
  const text = utf8(body.bytes);
  if (text === undefined) return { ok: false, response: problem(400, 'the form is not valid UTF-8', [{ field: 'body', message: 'must be UTF-8' }]) };
  const form = new URLSearchParams(text);
  const seen = new Map<string, number>();
  for (const key of form.keys()) seen.set(key, (seen.get(key) ?? 0) + 1);
  const repeated = [...seen].filter(([, count]) => count > 1).map(([key]) => key.slice(0, 100));
  if (repeated.length > 0) {
    return { ok: false, response: problem(400, 'some form fields were sent more than once', repeated.map((field) => ({ field, message: 'must be sent once' }))) };
  }
  return { ok: true, form };
}
