import type { HttpResponseInit } from '@azure/functions';
import type { FieldProblem } from '../requests/intake-command.js';

const TITLES: Record<number, string> = {
  400: 'The request is not valid',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  410: 'Gone',
  413: 'The request body is too large',
  415: 'Unsupported media type',
  422: 'The request cannot be carried out',
  502: 'Bad gateway',
  500: 'Internal error',
  503: 'Try again later',
};

/** Enough to fix a request by; a hostile body cannot make the answer grow with its own size. */
export const MAX_LISTED_PROBLEMS = 20;

/**
 * Answers echo parts of the input; nosniff keeps a browser from reading them as anything but what the
 * content type says.
 */
const BASE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

/** RFC 9457 problem details; `errors` names each bad field, the first MAX_LISTED_PROBLEMS of them. */
export function problem(status: number, detail: string, errors?: readonly FieldProblem[]): HttpResponseInit {
  const omitted = errors ? errors.length - MAX_LISTED_PROBLEMS : 0;
  const fullDetail = omitted > 0 ? `${detail} (${omitted} more ${omitted === 1 ? 'problem was' : 'problems were'} not listed)` : detail;
  return {
    status,
    headers: { ...BASE_HEADERS, 'content-type': 'application/problem+json' },
    jsonBody: {
      type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail: fullDetail,
      ...(errors ? { errors: errors.slice(0, MAX_LISTED_PROBLEMS) } : {}),
    },
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, headers: { ...BASE_HEADERS, 'content-type': 'application/json', ...headers }, jsonBody: body };
}
