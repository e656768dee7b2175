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
