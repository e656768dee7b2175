import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeCertificate } from '../tls.js';

export interface ReceivedCall {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export type Answer = { readonly status: number; readonly json?: unknown };

export interface HttpsEndpoint {
  readonly baseUrl: string;
  readonly caCertPem: string;
  close(): Promise<void>;
}

/** An HTTPS server with a certificate made at start, answering each whole request through `handle`. */
export async function startHttpsEndpoint(handle: (call: ReceivedCall) => Answer): Promise<HttpsEndpoint> {
  const cert = await makeCertificate();
  const server = createServer({ key: cert.keyPem, cert: cert.certPem }, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://sim');
      let answer: Answer;
      try {
        answer = handle({ method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      } catch (error) {
        answer = { status: 500, json: { error: String(error) } };
      }
      res.writeHead(answer.status, answer.json === undefined ? {} : { 'content-type': 'application/json' });
      res.end(answer.json === undefined ? undefined : JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `https://127.0.0.1:${port}`,
    caCertPem: cert.certPem,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
