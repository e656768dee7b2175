import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/**
 * Sends a body piece by piece with Transfer-Encoding: chunked and no Content-Length, as a streaming client
 * would. With `end: false` the body never finishes, so only a server that answers mid-body answers at
 * all; the connection is dropped once the answer has arrived.
 */
export function sendChunked(url: string, init: { method?: string; headers: Record<string, string>; chunks: readonly (string | Buffer)[]; end: boolean }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(url, { method: init.method ?? 'POST', headers: { ...init.headers, 'transfer-encoding': 'chunked' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') });
        if (!init.end) req.destroy();
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (req.getHeader('content-length') !== undefined) throw new Error('a chunked request must not carry Content-Length');
    for (const chunk of init.chunks) req.write(chunk);
    if (init.end) req.end();
  });
}

/** One request as written, for headers that fetch would refuse to send (a hostile Host, say). */
export function sendRaw(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
