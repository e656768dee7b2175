import { describe, expect, it } from 'vitest';
import { ArmError } from '../../../lib/azure/arm-error.js';
import { UnresolvableRequestError } from '../../../lib/requests/resolve-targets.js';
import { ARM_UNAVAILABLE_RETRY_AFTER_SECONDS, problemFromError } from '../../../lib/web/http-errors.js';

function logger() {
  const lines: string[] = [];
  return { lines, context: { warn: (...a: unknown[]) => void lines.push(`warn ${a.join(' ')}`), error: (...a: unknown[]) => void lines.push(`error ${a.join(' ')}`) } };
}
const headers = (r: { headers?: unknown }) => r.headers as Record<string, string>;
const body = (r: { jsonBody?: unknown }) => r.jsonBody as { status: number; detail: string; errors?: { field: string }[] };

describe('problemFromError', () => {
  it('422 naming the field for a reference Azure cannot resolve', () => {
    const r = problemFromError(new UnresolvableRequestError('no assessment x exists on y', 'assessmentKey'), logger().context);
    expect(r.status).toBe(422);
    expect(headers(r)['content-type']).toBe('application/problem+json');
    expect(body(r).errors).toEqual([{ field: 'assessmentKey', message: 'no assessment x exists on y' }]);
    expect(headers(r)['retry-after']).toBeUndefined();
  });

  it.each([400, 401, 403, 404, 409])('422 with ARM\'s reason for a %i that reached here unwrapped', (status) => {
    const r = problemFromError(new ArmError(status, 'AuthorizationFailed', 'no read on scope', false), logger().context);
    expect(r.status).toBe(422);
    expect(body(r).detail).toContain('AuthorizationFailed: no read on scope');
    expect(headers(r)['retry-after']).toBeUndefined();
  });

  it.each([
    ['a 5xx', new ArmError(500, 'InternalServerError', 'boom', true)],
    ['a non-transient 5xx', new ArmError(501, 'NotImplemented', 'nope', false)],
    ['throttling', new ArmError(429, 'TooManyRequests', 'slow down', true)],
    ['a dropped or refused connection', new ArmError(0, 'ECONNREFUSED', 'connect ECONNREFUSED', true)],
  ])('503 with Retry-After for %s', (_, error) => {
    const r = problemFromError(error, logger().context);
    expect(r.status).toBe(503);
    expect(headers(r)['content-type']).toBe('application/problem+json');
    expect(headers(r)['retry-after']).toBe(String(ARM_UNAVAILABLE_RETRY_AFTER_SECONDS));
  });

  it('passes on ARM\'s own Retry-After', () => {
    const r = problemFromError(new ArmError(429, 'TooManyRequests', 'slow down', true, 17), logger().context);
    expect(headers(r)['retry-after']).toBe('17');
  });

  it('500, detail hidden and logged, for anything else (our own bug)', () => {
    const { lines, context } = logger();
    const r = problemFromError(new TypeError('cannot read properties of undefined'), context);
    expect(r.status).toBe(500);
    expect(body(r).detail).not.toContain('undefined');
    expect(lines.some((l) => l.startsWith('error'))).toBe(true);
  });
});
