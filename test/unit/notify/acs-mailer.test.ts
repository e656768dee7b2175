import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AcsMailer, toAcsMessage } from '../../../lib/notify/acs-mailer.js';
import type { OutgoingMail } from '../../../lib/notify/mailer.js';

const mail: OutgoingMail = {
  to: ['secops@contoso.com', 'owner@contoso.com'],
  subject: '[exemption-broker] Review: x on st1',
  html: '<p>h</p>',
  text: 't',
};

describe('toAcsMessage', () => {
  it('maps sender, both bodies and every recipient', () => {
    expect(toAcsMessage('DoNotReply@contoso.azurecomm.net', mail)).toEqual({
      senderAddress: 'DoNotReply@contoso.azurecomm.net',
      content: { subject: mail.subject, html: '<p>h</p>', plainText: 't' },
      recipients: { to: [{ address: 'secops@contoso.com' }, { address: 'owner@contoso.com' }] },
    });
  });
});

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

/**
 * A stand-in for the ACS Email data plane: POST /emails:send answers 202 with an Operation-Location, the
 * operation answers Running once, then the final status the test chose. HTTPS because the SDK sends bearer tokens only
 * over TLS; the test trusts the server's self-signed certificate through the client's tlsOptions.
 */
describe('AcsMailer against a local ACS endpoint', () => {
  let server: Server;
  let endpoint: string;
  let ca: string;
  const seen: Seen[] = [];
  let finalStatus: { status: string; error?: { code: string; message: string } };
  const credential: TokenCredential = {
    async getToken(): Promise<AccessToken> {
      return { token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => resolve(body));
    });

  beforeAll(async () => {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    ca = pems.cert;
    server = createServer({ key: pems.private, cert: pems.cert }, async (req, res) => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', endpoint);
      seen.push({ method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization, body });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && url.pathname === '/emails:send') {
        res.writeHead(202, { 'operation-location': `${endpoint}/emails/operations/op-1?api-version=${url.searchParams.get('api-version')}`, 'retry-after': '0' });
        res.end(JSON.stringify({ id: 'op-1', status: 'Running' }));
      } else if (req.method === 'GET' && url.pathname === '/emails/operations/op-1') {
        // Still running at the first look, so the mailer has to keep polling to learn the outcome.
        const polls = seen.filter((s) => s.method === 'GET').length;
        res.writeHead(200);
        res.end(JSON.stringify(polls < 2 ? { id: 'op-1', status: 'Running' } : { id: 'op-1', ...finalStatus }));
      } else {
        res.writeHead(404);
        res.end(JSON.stringify({ error: { code: 'NotFound', message: url.pathname } }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    endpoint = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  const mailer = () =>
    new AcsMailer(endpoint, credential, 'DoNotReply@contoso.azurecomm.net', {
      client: { tlsOptions: { ca }, retryOptions: { maxRetries: 0 } },
      pollIntervalMs: 1,
    });

  it('sends the message with a bearer token and waits for the operation to succeed', async () => {
    finalStatus = { status: 'Succeeded' };
    await mailer().send(mail);
    const send = seen.find((s) => s.method === 'POST');
    expect(send?.authorization).toBe('Bearer test-token');
    expect(JSON.parse(send?.body ?? '{}')).toMatchObject({
      senderAddress: 'DoNotReply@contoso.azurecomm.net',
      content: { subject: mail.subject, html: mail.html, plainText: mail.text },
      recipients: { to: [{ address: 'secops@contoso.com' }, { address: 'owner@contoso.com' }] },
    });
    expect(seen.filter((s) => s.method === 'GET' && s.path === '/emails/operations/op-1')).toHaveLength(2);
  });

  it('throws when the operation ends Failed', async () => {
    finalStatus = { status: 'Failed', error: { code: 'EmailDroppedAllRecipientsSuppressed', message: 'all recipients suppressed' } };
    await expect(mailer().send(mail)).rejects.toThrow(/EmailDroppedAllRecipientsSuppressed/);
  });

  it('throws when the operation ends Canceled', async () => {
    finalStatus = { status: 'Canceled' };
    await expect(mailer().send(mail)).rejects.toThrow(/cancel/i);
  });
});
