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
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  const request = new HttpRequest({
    method: incoming.method ?? 'GET',
    url: url.toString(),
    headers,
    params,
    ...(body.length > 0 ? { body: { bytes: body } } : {}),
  });
  const context = new InvocationContext({ invocationId: randomUUID(), functionName, logHandler: (level, ...args) => log(`[${functionName}] ${level}: ${args.map(String).join(' ')}`) });
  let result: HttpResponseInit | InstanceType<typeof HttpResponse> | void;
  try {
    result = await handler(request, context);
  } catch (error) {
    log(`[${functionName}] unhandled: ${String((error as Error)?.stack ?? error)}`);
    outgoing.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
    return;
  }
  const response = result instanceof HttpResponse ? result : new HttpResponse(result ?? { status: 204 });
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => (out[key] = value));
  const cookies = response.cookies.map((c) => `${c.name}=${c.value}`);
  if (cookies.length > 0) out['set-cookie'] = cookies;
  outgoing.writeHead(response.status, out);
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}
