import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { ArmError, armErrorFrom, isTransientStatus, parseRetryAfter, toArmError } from '../../../lib/azure/arm-error.js';

const EXEMPTION_URL = 'https://management.azure.com/subscriptions/s/providers/Microsoft.Authorization/policyExemptions/e?api-version=2024-12-01-preview';

function restError(statusCode: number | undefined, bodyAsText?: string, code?: string): RestError {
  const request = createPipelineRequest({ url: EXEMPTION_URL, method: 'PUT' });
  const response = statusCode === undefined
    ? undefined
    : { request, status: statusCode, headers: createHttpHeaders(), ...(bodyAsText === undefined ? {} : { bodyAsText }) };
  return new RestError('Request failed', {
    request,
    ...(statusCode === undefined ? {} : { statusCode }),
    ...(response ? { response } : {}),
    ...(code === undefined ? {} : { code }),
  });
}

describe('armErrorFrom', () => {
  it('takes code and message from an ARM error body', () => {
    const error = armErrorFrom(404, { error: { code: 'ResourceNotFound', message: 'The resource was not found.' } }, 'fallback');
    expect(error).toBeInstanceOf(ArmError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ArmError');
    expect(error.status).toBe(404);
    expect(error.code).toBe('ResourceNotFound');
    expect(error.message).toBe('The resource was not found.');
    expect(error.transient).toBe(false);
  });

  it('falls back to Http<status> and the given message when the body is not an ARM error', () => {
    for (const body of [undefined, null, 'Service Unavailable', {}, { error: {} }, { error: { code: 42, message: ['x'] } }]) {
      const error = armErrorFrom(503, body, 'GET assignments failed');
      expect(error.code).toBe('Http503');
      expect(error.message).toBe('GET assignments failed');
      expect(error.transient).toBe(true);
    }
  });

  it('serialises status, code and message only', () => {
    const error = armErrorFrom(403, { error: { code: 'AuthorizationFailed', message: 'no' } }, 'x');
    expect(JSON.parse(JSON.stringify(error))).toEqual({ status: 403, code: 'AuthorizationFailed', message: 'no' });
  });

  it.each([408, 429, 500, 502, 503, 504])('classifies %i as transient', (status) => {
    expect(isTransientStatus(status)).toBe(true);
    expect(armErrorFrom(status, undefined, 'x').transient).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 412, 422])('classifies %i as permanent', (status) => {
    expect(isTransientStatus(status)).toBe(false);
    expect(armErrorFrom(status, undefined, 'x').transient).toBe(false);
  });
});

describe('toArmError', () => {
  it('reads the ARM error body of a RestError with a status code', () => {
    const body = JSON.stringify({ error: { code: 'AuthorizationFailed', message: 'The client does not have authorization to perform action policyExemptions/write.' } });
    const error = toArmError(restError(403, body), 'PUT exemption');
    expect(error.status).toBe(403);
    expect(error.code).toBe('AuthorizationFailed');
    expect(error.message).toContain('policyExemptions/write');
    expect(error.transient).toBe(false);
  });

  it('marks a throttled RestError as transient', () => {
    const body = JSON.stringify({ error: { code: 'TooManyRequests', message: 'slow down' } });
    const error = toArmError(restError(429, body), 'PUT exemption');
    expect(error).toMatchObject({ status: 429, code: 'TooManyRequests', transient: true });
  });

  it('names the operation when the RestError body is missing or not JSON', () => {
    for (const body of [undefined, '<html>Bad Gateway</html>']) {
      const error = toArmError(restError(502, body), 'PUT exemption');
      expect(error.status).toBe(502);
      expect(error.code).toBe('Http502');
      expect(error.message).toBe('PUT exemption: Request failed');
      expect(error.transient).toBe(true);
    }
  });

  it('treats a RestError without a status code as a transient network failure', () => {
    const withCode = toArmError(restError(undefined, undefined, RestError.REQUEST_SEND_ERROR), 'GET contacts');
    expect(withCode).toMatchObject({ status: 0, code: RestError.REQUEST_SEND_ERROR, transient: true });
    expect(withCode.message).toBe('GET contacts: Request failed');

    const withoutCode = toArmError(restError(undefined), 'GET contacts');
    expect(withoutCode).toMatchObject({ status: 0, code: 'NetworkError', transient: true });
  });

  it('returns an ArmError unchanged', () => {
    const original = new ArmError(409, 'Conflict', 'taken', false);
    expect(toArmError(original, 'PUT')).toBe(original);
  });

  it('maps other errors and thrown values to transient network failures, keeping a Node error code', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(toArmError(reset, 'GET')).toMatchObject({ status: 0, code: 'ECONNRESET', message: 'GET: socket hang up', transient: true });
    expect(toArmError('boom', 'GET')).toMatchObject({ status: 0, code: 'NetworkError', message: 'GET: boom', transient: true });
  });
});

describe('toArmError with the shapes other ARM clients throw', () => {
  it('reads the parsed error in `details` when there is no body text (arm-policy 7)', () => {
    const error = restError(403, undefined, 'AuthorizationFailed');
    error.details = { error: { code: 'AuthorizationFailed', message: 'no read on the scope' } };
    expect(toArmError(error, 'GET assignment')).toMatchObject({ status: 403, code: 'AuthorizationFailed', message: 'no read on the scope', transient: false });
  });

  it('keeps the ARM code of a failed page, which carries no body at all (arm-policy 7 paging)', () => {
    const error = toArmError(restError(400, undefined, 'InvalidResourceType'), 'list assignments');
    expect(error).toMatchObject({ status: 400, code: 'InvalidResourceType', message: 'list assignments: Request failed' });
  });

  it('takes Retry-After from the last answer, in seconds or as an HTTP-date', () => {
    const throttled = restError(429, JSON.stringify({ error: { code: 'TooManyRequests', message: 'slow down' } }));
    throttled.response!.headers.set('retry-after', '12');
    expect(toArmError(throttled, 'GET').retryAfterSeconds).toBe(12);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', Date.parse('2026-10-21T07:28:00Z'))).toBe(30);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
