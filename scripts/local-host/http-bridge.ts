import functions, { type HttpHandler, type HttpResponseInit } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

// The package is CommonJS; under Node's ESM loader its classes are reachable only through the default export.
const { HttpRequest, HttpResponse, InvocationContext } = functions;

/** Carries a Node request to a Functions handler and its answer back, as the host would. */
export async function invokeHttp(
  handler: HttpHandler,
  functionName: string,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  url: URL,
  params: Record<string, string>,
  log: (line: string) => void,
): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  const method = incoming.method ?? 'GET';
  const body = /^(GET|HEAD)$/i.test(method) ? undefined : streamBody(incoming);
  let request: InstanceType<typeof HttpRequest>;
  try {
    // With HTTP streams on (lib/host/function-registry.ts) the host hands the worker a Request whose body
    // is the live socket; the library builds it through this same option.
    const native = new Request(url, { method, headers, ...(body ? { body: body.stream, duplex: 'half' } : {}) } as RequestInit);
    request = new HttpRequest({ nativeRequest: native, params } as ConstructorParameters<typeof HttpRequest>[0]);
  } catch (error) {
    log(`[${functionName}] request refused before the handler: ${String(error)}`);
    body?.discardRest();
    outgoing.writeHead(400, { 'content-type': 'text/plain' }).end('Bad Request');
    return;
  }
  const context = new InvocationContext({ invocationId: randomUUID(), functionName, logHandler: (level, ...args) => log(`[${functionName}] ${level}: ${args.map(String).join(' ')}`) });
  let result: HttpResponseInit | InstanceType<typeof HttpResponse> | void;
  try {
    result = await handler(request, context);
  } catch (error) {
    log(`[${functionName}] unhandled: ${String((error as Error)?.stack ?? error)}`);
    outgoing.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
    body?.discardRest();
    return;
  }
  const response = result instanceof HttpResponse ? result : new HttpResponse(result ?? { status: 204 });
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => (out[key] = value));
  const cookies = response.cookies.map((c) => `${c.name}=${c.value}`);
  if (cookies.length > 0) out['set-cookie'] = cookies;
  outgoing.writeHead(response.status, out);
  outgoing.end(Buffer.from(await response.arrayBuffer()));
  // A handler that stopped reading (a body over its cap) leaves the rest unread: drain it, so the client
  // that is still sending gets the answer instead of a reset connection.
  body?.discardRest();
}

/**
 * The request body as a web stream that reads the socket only as fast as the handler pulls. Cancelling
 * it switches to discarding what still arrives, without cutting the connection.
 */
function streamBody(incoming: IncomingMessage): { stream: ReadableStream<Uint8Array>; discardRest(): void } {
  let discarding = false;
  let settled = false;
  const discardRest = () => {
    discarding = true;
    incoming.resume();
  };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const settle = (finish: () => void) => {
        if (settled || discarding) return;
        settled = true;
        finish();
      };
      incoming.on('data', (chunk: Buffer) => {
        if (discarding || settled) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) incoming.pause();
      });
      incoming.once('end', () => settle(() => controller.close()));
      incoming.once('error', (error) => settle(() => controller.error(error)));
      incoming.once('close', () => settle(() => controller.error(new Error('the client closed the connection mid-body'))));
      incoming.pause();
    },
    pull() {
      incoming.resume();
    },
    cancel() {
      discardRest();
    },
  });
  return { stream, discardRest };
}
