import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { submitReviewDecision } from '../../../functions/review-decision.js';
import { configureServices } from '../../../lib/composition-root.js';
import { parseMediaType } from '../../../lib/web/media-type.js';
import { readFormBody, type FormResult } from '../../../lib/web/read-form-body.js';

const MAX = 256;
const FORM = 'token=v1.abc.def&csrf=xyz&decision=approve';

function post(body: string, headers: Record<string, string>): HttpRequest {
  return new HttpRequest({ method: 'POST', url: 'http://localhost/api/review', headers, body: { string: body } });
}

function expectProblem(response: HttpResponseInit, status: number, field: string): void {
  expect(response.status).toBe(status);
  expect((response.headers as Record<string, string>)['content-type']).toBe('application/problem+json');
  expect((response.jsonBody as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
}

function refusal(result: FormResult): HttpResponseInit {
  if (result.ok) throw new Error('expected a refusal');
  return result.response;
}

describe('readFormBody', () => {
  it.each([
    'application/x-www-form-urlencoded',
    'Application/X-WWW-Form-Urlencoded',
    'application/x-www-form-urlencoded; charset=UTF-8',
    'application/x-www-form-urlencoded;charset="utf-8"',
  ])('reads a form sent as %s', async (type) => {
    const result = await readFormBody(post(FORM, { 'content-type': type }), MAX);
    expect(result.ok && Object.fromEntries(result.form)).toEqual({ token: 'v1.abc.def', csrf: 'xyz', decision: 'approve' });
  });

  it.each([
    ['no content-type', {}],
    ['text/plain', { 'content-type': 'text/plain' }],
    ['JSON', { 'content-type': 'application/json' }],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }],
    ['a look-alike type', { 'content-type': 'application/x-www-form-urlencodedx' }],
    ['another charset', { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' }],
    ['another parameter', { 'content-type': 'application/x-www-form-urlencoded; boundary=x' }],
    ['two types joined', { 'content-type': 'application/x-www-form-urlencoded, text/plain' }],
  ])('refuses %s with 415 naming content-type', async (_label, headers) => {
    expectProblem(refusal(await readFormBody(post(FORM, headers), MAX)), 415, 'content-type');
  });

  it('refuses with 413 a form over the cap, sent without content-length, counting bytes as they arrive', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(Buffer.from('comment=xxxxxxxxxx&'))),
      cancel: () => void (cancelled = true),
    }, { highWaterMark: 0 });
    const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded' });
    expectProblem(refusal(await readFormBody({ headers, body }, MAX)), 413, 'body');
    expect(cancelled).toBe(true);
  });

  it('refuses with 413 when content-length announces more than the cap', async () => {
    expectProblem(refusal(await readFormBody(post(FORM, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(MAX + 1) }), MAX)), 413, 'body');
  });

  it('refuses a field sent twice, naming it: which value counts would be a guess', async () => {
    const response = refusal(await readFormBody(post(`${FORM}&decision=reject`, { 'content-type': 'application/x-www-form-urlencoded' }), MAX));
    expectProblem(response, 400, 'decision');
  });
});

describe('parseMediaType', () => {
  it('splits type and parameters, lower-casing the type and parameter names', () => {
    const media = parseMediaType('Text/HTML; Charset="UTF-8"; q=1');
    expect(media?.type).toBe('text/html');
    expect(Object.fromEntries(media!.params)).toEqual({ charset: 'UTF-8', q: '1' });
  });

  it.each(['', 'text', 'text/', '/html', 'a/b/c', 'text/html; charset', 'text/html; a=1; a=2', 'text/html; a="x\\"y"', 'te xt/html'])('is undefined for %j', (header) => {
    expect(parseMediaType(header)).toBeUndefined();
  });
});

describe('the decision form (POST /api/review) takes only a form', () => {
  beforeAll(() => {
    configureServices({ env: { AzureWebJobsStorage: 'UseDevelopmentStorage=true', REVIEW_SIGNING_KEY: 'k'.repeat(40), EMAIL_TRANSPORT: 'smtp' } });
  });

  it.each(['text/plain', 'application/json'])('answers %s with 415 before looking at the form', async (type) => {
    const context = new InvocationContext({ invocationId: 'test', functionName: 'reviewDecision' });
    expectProblem(await submitReviewDecision(post(FORM, { 'content-type': type }), context), 415, 'content-type');
  });
});
