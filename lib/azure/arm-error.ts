import type { RestError } from '@azure/core-rest-pipeline';
import { ArmError } from '../requests/ports/arm-error.js';

export { ArmError };

const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUS.has(status);
}

/** Maps an ARM error body `{ error: { code, message } }` (or a transport failure) onto ArmError. */
export function armErrorFrom(status: number, body: unknown, fallback: string, retryAfterSeconds?: number): ArmError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : `Http${status}`;
  const message = typeof error?.message === 'string' ? error.message : fallback;
  return new ArmError(status, code, message, isTransientStatus(status), retryAfterSeconds);
}

/** Retry-After is delay-seconds or an HTTP-date (RFC 9110 §10.2.3); anything else is ignored. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

export function toArmError(error: unknown, what: string): ArmError {
  if (error instanceof ArmError) return error;
  // Not instanceof: CommonJS SDKs (arm-security) throw their own copy of the class.
  if (isRestErrorLike(error)) {
    if (error.statusCode === undefined) return new ArmError(0, error.code ?? 'NetworkError', `${what}: ${error.message}`, true);
    return armErrorFrom(error.statusCode, armBody(error), `${what}: ${error.message}`, parseRetryAfter(error.response?.headers.get('retry-after')));
  }
  const code = (error as { code?: unknown })?.code;
  return new ArmError(0, typeof code === 'string' ? code : 'NetworkError', `${what}: ${String((error as Error)?.message ?? error)}`, true);
}

/**
 * Where the ARM error body sits depends on the client: the raw text (core-client, arm-security), the parsed
 * `details` (arm-policy 7's operations), or, when arm-policy pages, only the error code.
 */
function armBody(error: RestError): unknown {
  const parsed = error.response?.bodyAsText ? safeJson(error.response.bodyAsText) : undefined;
  if (parsed !== undefined) return parsed;
  if ((error.details as { error?: unknown } | undefined)?.error) return error.details;
  return typeof error.code === 'string' ? { error: { code: error.code } } : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The pipeline's own `isRestError` checks the same name; importing it would load the whole pipeline
 * (about 150 ms) on every cold start, although only the ARM adapters that throw these need it.
 */
function isRestErrorLike(error: unknown): error is RestError {
  return error instanceof Error && error.name === 'RestError';
}
