import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { readJsonBody, type BodyResult } from '../../../lib/web/read-json-body.js';

const MAX = 1024;

function post(body: string | undefined, headers: Record<string, string>): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    url: 'http://localhost/api/requests',
    headers,
    ...(body === undefined ? {} : { body: { string: body } }),
  });
}

function refusal(result: BodyResult): HttpResponseInit & { jsonBody: { status: number; errors: { field: string; message: string }[] } } {
  if (result.ok) throw new Error('expected a refusal');
  return result.response as ReturnType<typeof refusal>;
}

function expectProblem(result: BodyResult, status: number, field: string): void {
  const response = refusal(result);
  expect(response.status).toBe(status);
  expect((response.headers as Record<string, string>)['content-type']).toBe('application/problem+json');
  expect(response.jsonBody.status).toBe(status);
  expect(response.jsonBody.errors[0]?.field).toBe(field);
}

describe('readJsonBody', () => {
  it('reads an application/json body', async () => {
    const result = await readJsonBody(post('{"a":1,"b":["x"]}', { 'content-type': 'application/json' }), MAX);
    expect(result).toEqual({ ok: true, value: { a: 1, b: ['x'] } });
  });

  it.each([
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/merge-patch+json',
    'application/problem+json; charset=UTF-8',
  ])('accepts content-type %s', async (type) => {
    const result = await readJsonBody(post('{"ok":true}', { 'content-type': type }), MAX);
    expect(result).toEqual({ ok: true, value: { ok: true } });
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['a form', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['a look-alike type', { 'content-type': 'application/jsonp' }],
    ['no content-type at all', {}],
  ])('refuses %s with 415', async (_label, headers) => {
    expectProblem(await readJsonBody(post('{"a":1}', headers), MAX), 415, 'content-type');
  });

  it('refuses with 413 when content-length announces more than the limit', async () => {
    expectProblem(await readJsonBody(post('{}', { 'content-type': 'application/json', 'content-length': String(MAX + 1) }), MAX), 413, 'body');
  });

  it('refuses with 413 when the body itself is larger than the limit', async () => {
    const body = JSON.stringify({ text: 'x'.repeat(MAX) });
    expectProblem(await readJsonBody(post(body, { 'content-type': 'application/json' }), MAX), 413, 'body');
  });

  it('refuses with 413 when the body is larger than a content-length that understates it', async () => {
    const request = post(JSON.stringify({ text: 'x'.repeat(MAX) }), { 'content-type': 'application/json', 'content-length': '20' });
    expectProblem(await readJsonBody(request, MAX), 413, 'body');
  });

  it('counts bytes, not characters', async () => {
    const body = JSON.stringify({ text: 'é'.repeat(600) });
    expect(body.length).toBeLessThan(MAX);
    expectProblem(await readJsonBody(post(body, { 'content-type': 'application/json' }), MAX), 413, 'body');
  });

  it('accepts a body of exactly the limit', async () => {
    const body = JSON.stringify({ text: 'x'.repeat(MAX - 11) });
    expect(Buffer.byteLength(body)).toBe(MAX);
    const result = await readJsonBody(post(body, { 'content-type': 'application/json' }), MAX);
    expect(result.ok).toBe(true);
  });

  it.each([
    ['truncated JSON', '{"a":'],
    ['not JSON', 'resourceId=/subscriptions/x'],
    ['an empty body', ''],
  ])('refuses %s with 400', async (_label, body) => {
    expectProblem(await readJsonBody(post(body, { 'content-type': 'application/json' }), MAX), 400, 'body');
  });
});

/** A body that streams `chunk`-byte pieces for ever, as a client sending chunked data with no end would. */
function endless(chunk: number): { body: ReadableStream<Uint8Array>; cancelled: () => boolean; sent: () => number } {
  let cancelled = false;
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      sent += chunk;
      controller.enqueue(new Uint8Array(chunk).fill(0x20));
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { body, cancelled: () => cancelled, sent: () => sent };
}

function streamOf(text: string, pieces: number): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text);
  const size = Math.ceil(bytes.length / pieces);
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(at, at + size)));
      at += size;
    },
  });
}

const JSON_TYPE = new Headers({ 'content-type': 'application/json' });

describe('readJsonBody: the cap is enforced while the body streams in', () => {
  it('refuses with 413 a body with no content-length that never ends, having read just past the cap', async () => {
    const stream = endless(100);
    // A reader that waited for the end would never answer, and this test would time out.
    expectProblem(await readJsonBody({ headers: JSON_TYPE, body: stream.body }, MAX), 413, 'body');
    expect(stream.cancelled()).toBe(true);
    expect(stream.sent()).toBeLessThanOrEqual(MAX + 100);
  });

  it('reads a body that arrives in many chunks and fits', async () => {
    const text = JSON.stringify({ text: 'é'.repeat(300) });
    expect(await readJsonBody({ headers: JSON_TYPE, body: streamOf(text, 37) }, MAX)).toEqual({ ok: true, value: { text: 'é'.repeat(300) } });
  });

  it('refuses with 400 a body that breaks off mid-stream', async () => {
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new Error('aborted'));
        sent = true;
        controller.enqueue(new Uint8Array(Buffer.from('{"a":')));
      },
    });
    expectProblem(await readJsonBody({ headers: JSON_TYPE, body }, MAX), 400, 'body');
  });

  it('refuses with 400 a body that is not valid UTF-8, rather than reading it with replacement characters', async () => {
    const bytes = Buffer.concat([Buffer.from('{"justification":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const request = new HttpRequest({ method: 'POST', url: 'http://localhost/api/requests', headers: { 'content-type': 'application/json' }, body: { bytes } });
    expectProblem(await readJsonBody(request, MAX), 400, 'body');
  });

  it.each([
    ['two types joined by a comma', 'application/json, text/plain'],
    ['a parameter without a value', 'application/json; charset'],
    ['a type without a subtype', 'application'],
  ])('refuses a malformed content-type (%s) with 415', async (_label, type) => {
    expectProblem(await readJsonBody(post('{}', { 'content-type': type }), MAX), 415, 'content-type');
  });
});
