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
  500: 'Internal error',
  503: 'Try again later',
};

/** RFC 9457 problem details; `errors` names each bad field. */
export function problem(status: number, detail: string, errors?: readonly FieldProblem[]): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
    jsonBody: { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, ...(errors ? { errors } : {}) },
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, jsonBody: body };
}
