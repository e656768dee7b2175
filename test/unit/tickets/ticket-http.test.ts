import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callTicketApi, TicketApiError } from '../../../lib/tickets/ticket-http.js';
import { makeCertificate, trustSimCertificate } from '../../sim/tls.js';

// A ticket system that answers with a redirect, and the place it points to, which must hear nothing.
let server: Server;
let base: string;
const seen: { path: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  const cert = await makeCertificate();
  trustSimCertificate(cert.certPem);
  server = createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    if (req.url === '/rest/api/3/issue/SEC-1/comment') {
      res.writeHead(307, { location: `${base}/elsewhere` }).end();
      return;
    }
    res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"1"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('calls to a ticket system', () => {
  it('refuses a redirect instead of following it with the credentials', async () => {
    const call = callTicketApi(new URL(`${base}/rest/api/3/issue/SEC-1/comment`), {
      method: 'POST', headers: { authorization: 'Basic c2VjcmV0', 'content-type': 'application/json' }, body: '{}',
    });
    await expect(call).rejects.toBeInstanceOf(TicketApiError);
    expect(seen.map((s) => s.path)).toEqual(['/rest/api/3/issue/SEC-1/comment']);
  });

  it('answers what the system said when it does not redirect', async () => {
    await expect(callTicketApi(new URL(`${base}/ok`), { method: 'POST', headers: {}, body: '{}' })).resolves.toEqual({ id: '1' });
  });
});
