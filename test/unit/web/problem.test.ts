import { describe, expect, it } from 'vitest';
import { json, MAX_LISTED_PROBLEMS, problem } from '../../../lib/web/problem.js';

const fields = (n: number) => Array.from({ length: n }, (_, i) => ({ field: `f${i}`, message: 'is wrong' }));

describe('problem responses', () => {
  it('carry nosniff and no-store besides the problem+json type', () => {
    const response = problem(400, 'bad', fields(1));
    expect(response.headers).toEqual({
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    expect(json(200, {}).headers).toMatchObject({ 'content-type': 'application/json', 'x-content-type-options': 'nosniff' });
  });

  it(`list all problems up to ${MAX_LISTED_PROBLEMS}, with the detail unchanged`, () => {
    const body = problem(400, 'some fields are not valid', fields(MAX_LISTED_PROBLEMS)).jsonBody;
    expect(body.errors).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(body.detail).toBe('some fields are not valid');
  });

  it('list only the first 20 of more, and say in detail how many were left out', () => {
    const body = problem(400, 'some fields are not valid', fields(1000)).jsonBody;
    expect(MAX_LISTED_PROBLEMS).toBe(20);
    expect(body.errors).toEqual(fields(20));
    expect(body.detail).toBe('some fields are not valid (980 more problems were not listed)');
    expect(problem(400, 'x', fields(21)).jsonBody.detail).toBe('x (1 more problem was not listed)');
  });

  it('have no errors member when no field is at fault', () => {
    expect(problem(404, 'no request r1').jsonBody).toEqual({ type: 'about:blank', title: 'Not found', status: 404, detail: 'no request r1' });
  });
});
