import { isRestError } from '@azure/core-rest-pipeline';
import { ArmError } from '../requests/ports/arm-error.js';

export { ArmError };

const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUS.has(status);
}

/** Maps an ARM error body `{ error: { code, message } }` (or a transport failure) onto ArmError. */
export function armErrorFrom(status: number, body: unknown, fallback: string): ArmError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : `Http${status}`;
  const message = typeof error?.message === 'string' ? error.message : fallback;
  return new ArmError(status, code, message, isTransientStatus(status));
}

export function toArmError(error: unknown, what: string): ArmError {
  if (error instanceof ArmError) return error;
  // Not instanceof: CommonJS SDKs (arm-security) throw their own copy of the class.
  if (isRestError(error)) {
    if (error.statusCode === undefined) return new ArmError(0, error.code ?? 'NetworkError', `${what}: ${error.message}`, true);
    const body = error.response?.bodyAsText ? safeJson(error.response.bodyAsText) : undefined;
    return armErrorFrom(error.statusCode, body, `${what}: ${error.message}`);
  }
  const code = (error as { code?: unknown })?.code;
  return new ArmError(0, typeof code === 'string' ? code : 'NetworkError', `${what}: ${String((error as Error)?.message ?? error)}`, true);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
