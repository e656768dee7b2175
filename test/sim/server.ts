// The HTTPS listener: reads the request, finds which operation it is (Entra or ARM), applies injected
// faults, answers, and records it.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ArmError } from './arm/errors.js';
import { handleArm, tooManyRequests, type ArmDeps } from './arm/pipeline.js';
import type { FaultRegistry } from './faults.js';
import type { RouteTable } from './spec/routes.js';
import type { SimCertificate } from './tls.js';
import type { FaultSpec, SimRequestRecord } from './types.js';
import { readBody } from './read-body.js';

export interface ServerDeps extends ArmDeps {
  routes: RouteTable;
  faults: FaultRegistry;
  requests: SimRequestRecord[];
  /** Delay before every answer, in ms (0 = none). */
  latencyMs: number;
}

export async function startHttpsServer(cert: SimCertificate, host: string, deps: ServerDeps): Promise<{ url: string; close(): Promise<void> }> {
  const server = https.createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
    serve(deps, req, res).catch((e: unknown) => {
      // A sim bug must surface loudly, in ARM's shape so SDK clients report it legibly.
      if (!res.headersSent) send(res, 500, {}, new ArmError(500, 'SimInternalError', String((e as Error)?.stack ?? e)).body());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://${host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function serve(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const bodyText = await readBody(req);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const query = Object.fromEntries(new URLSearchParams(q < 0 ? '' : url.slice(q + 1)));
  const method = (req.method ?? 'GET').toUpperCase();
  const apiVersion = query['api-version'];

  const entraOp = deps.entra.operationIdFor(rawPath);
  const route = entraOp ? undefined : deps.routes.match(method, rawPath, apiVersion);
  const operationId = entraOp ?? (route?.kind === 'ok' ? route.operation.operationId : undefined);
  const record = (status: number, body: unknown, clientId?: string) => deps.requests.push({
    method, path: rawPath, query, body, operationId, apiVersion, status, ...(clientId ? { clientId } : {}), at: new Date(),
  });
  const requestBody = parseMaybeJson(bodyText);

  if (deps.latencyMs > 0) await new Promise((r) => setTimeout(r, deps.latencyMs));
  const fault = deps.faults.take({ operationId, method, path: rawPath });
  if (fault?.kind === 'drop') {
    record(0, requestBody);
    req.socket.destroy();
    return;
  }
  if (fault?.kind === 'latency') await new Promise((r) => setTimeout(r, fault.latencyMs ?? 1000));
  if (fault?.kind === 'throttle' || fault?.kind === 'error') {
    const e = fault.kind === 'throttle' ? tooManyRequests(fault.retryAfterSeconds ?? 1) : injectedError(fault);
    record(e.status, requestBody);
    send(res, e.status, { ...armHeaders(req), ...e.extra.headers }, e.body());
    return;
  }

  if (entraOp) {
    const r = deps.entra.handle(method, rawPath, bodyText)!;
    record(r.status, redactSecret(bodyText));
    send(res, r.status, { 'cache-control': 'no-store' }, r.body);
    return;
  }
  const r = await handleArm(deps, { method, rawPath, url, query, headers: req.headers, bodyText }, route!);
  record(r.status, r.parsedBody ?? requestBody, r.principal?.clientId);
  send(res, r.status, { ...armHeaders(req), ...r.headers }, r.body);
}

function injectedError(fault: FaultSpec): ArmError {
  const status = fault.status ?? 503;
  const code = fault.code ?? (status === 503 ? 'ServiceUnavailable' : status >= 500 ? 'InternalServerError' : 'BadRequest');
  const message = fault.message ?? (status >= 500
    ? 'The service is temporarily unavailable (injected fault). Please retry.'
    : 'The request was refused (injected fault).');
  return new ArmError(status, code, message, fault.retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': String(fault.retryAfterSeconds) } });
}

function armHeaders(req: IncomingMessage): Record<string, string> {
  const correlation = req.headers['x-ms-correlation-request-id'];
  return {
    'x-ms-request-id': randomUUID(),
    'x-ms-correlation-request-id': typeof correlation === 'string' ? correlation : randomUUID(),
  };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}


function parseMaybeJson(text: string): unknown {
  if (!text) return undefined;
  try { return JSON.parse(text); } catch { return text; }
}

/** Token requests carry the client secret; never keep it in the request log. */
function redactSecret(form: string): string {
  return form.replace(/(client_secret=)[^&]*/i, '$1***');
}
