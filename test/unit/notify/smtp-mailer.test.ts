import type { AddressInfo } from 'node:net';
import PostalMime, { type Email } from 'postal-mime';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../../lib/notify/mailer.js';
import { SmtpMailer } from '../../../lib/notify/smtp-mailer.js';

interface Received {
  readonly rcptTo: string[];
  readonly mailFrom: string | undefined;
  readonly user: string | undefined;
  readonly email: Email;
}

/** An SMTP sink on 127.0.0.1 that parses what it receives. STARTTLS is off: its certificate is self-signed. */
async function startSink(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        PostalMime.parse(Buffer.concat(chunks)).then(
          (email) => {
            received.push({
              rcptTo: session.envelope.rcptTo.map((r) => r.address),
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
              user: typeof session.user === 'string' ? session.user : undefined,
              email,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
    ...options,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const mail: OutgoingMail = {
  to: ['secops@contoso.com', 'owner@contoso.com'],
  subject: '[exemption-broker] Review: Storage accounts – ünïcode on st1',
  html: '<p>Review <a href="https://broker.example.net/r">here</a></p>',
  text: 'Review here:\nhttps://broker.example.net/r\n',
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('SmtpMailer', () => {
  it('delivers subject, both parts and every recipient to a real SMTP server', async () => {
    const sink = await startSink();
    cleanups.push(sink.close);
    const mailer = new SmtpMailer({ from: 'broker@contoso.com', host: '127.0.0.1', port: sink.port, secure: false });
    cleanups.push(() => mailer.close());

    await mailer.send(mail);

    expect(sink.received).toHaveLength(1);
    const [got] = sink.received;
    expect(got?.rcptTo).toEqual(['secops@contoso.com', 'owner@contoso.com']);
    expect(got?.mailFrom).toBe('broker@contoso.com');
    expect(got?.email.subject).toBe(mail.subject);
    expect(got?.email.from?.address).toBe('broker@contoso.com');
    expect(got?.email.to?.map((a) => a.address)).toEqual(['secops@contoso.com', 'owner@contoso.com']);
    expect(got?.email.text?.trim()).toBe(mail.text.trim());
    expect(got?.email.html?.trim()).toBe(mail.html);
  });

  it('reuses its transport for later mails', async () => {
    const sink = await startSink();
    cleanups.push(sink.close);
    const mailer = new SmtpMailer({ from: 'broker@contoso.com', host: '127.0.0.1', port: sink.port, secure: false });
    cleanups.push(() => mailer.close());
    await mailer.send(mail);
    await mailer.send({ ...mail, subject: 'second' });
    expect(sink.received.map((r) => r.email.subject)).toEqual([mail.subject, 'second']);
  });

  it('authenticates when a user is configured', async () => {
    const sink = await startSink({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'relay-user' && auth.password === 'relay-pass') callback(null, { user: auth.username });
        else callback(new Error('bad credentials'));
      },
    });
    cleanups.push(sink.close);
    const good = new SmtpMailer({ from: 'broker@contoso.com', host: '127.0.0.1', port: sink.port, secure: false, user: 'relay-user', password: 'relay-pass' });
    const bad = new SmtpMailer({ from: 'broker@contoso.com', host: '127.0.0.1', port: sink.port, secure: false, user: 'relay-user', password: 'wrong' });
    cleanups.push(() => good.close(), () => bad.close());

    await good.send(mail);
    expect(sink.received[0]?.user).toBe('relay-user');
    await expect(bad.send(mail)).rejects.toThrow(/bad credentials|auth/i);
    expect(sink.received).toHaveLength(1);
  });

  it('rejects when the server refuses every recipient', async () => {
    const sink = await startSink({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      },
    });
    cleanups.push(sink.close);
    const mailer = new SmtpMailer({ from: 'broker@contoso.com', host: '127.0.0.1', port: sink.port, secure: false });
    cleanups.push(() => mailer.close());
    await expect(mailer.send(mail)).rejects.toThrow(/mailbox unavailable|recipients/i);
    expect(sink.received).toHaveLength(0);
  });
});
