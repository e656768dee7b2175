// SMTP sink: accepts any mail on 127.0.0.1 (no TLS, auth optional) and keeps raw + parsed copies.
import type { AddressInfo } from 'node:net';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';
import type { SimMail, SimSmtp } from './types.js';

export interface SmtpSink extends SimSmtp {
  close(): Promise<void>;
}

export async function startSmtpSink(host = '127.0.0.1'): Promise<SmtpSink> {
  let mails: SimMail[] = [];
  let refusals = 0;
  const waiters = new Set<{ predicate: (m: SimMail) => boolean; resolve: (m: SimMail) => void }>();

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    // A configured SMTP user must not break the flow: any credentials are accepted.
    onAuth: (auth, _session, cb) => cb(null, { user: auth.username ?? 'anonymous' }),
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', cb);
      stream.on('end', () => {
        if (refusals > 0) {
          refusals--;
          const error = Object.assign(new Error('4.3.0 Mail server temporarily unavailable (simulated)'), { responseCode: 451 });
          cb(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        PostalMime.parse(raw).then((parsed) => {
          const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const mail: SimMail = {
            raw,
            from: parsed.from?.address ?? envelopeFrom,
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: parsed.html ?? '',
            receivedAt: new Date(),
          };
          mails.push(mail);
          for (const w of [...waiters]) if (w.predicate(mail)) { waiters.delete(w); w.resolve(mail); }
          cb();
        }, cb);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    host,
    port,
    messages: () => [...mails],
    clear: () => { mails = []; },
    refuseNext: (count) => { refusals = count; },
    waitFor(predicate, timeoutMs = 10_000) {
      const hit = mails.find(predicate);
      if (hit) return Promise.resolve(hit);
      return new Promise<SimMail>((resolve, reject) => {
        const w = { predicate, resolve: (m: SimMail) => { clearTimeout(timer); resolve(m); } };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`No mail matched within ${timeoutMs} ms (${mails.length} received: ${mails.map((m) => JSON.stringify(m.subject)).join(', ') || 'none'})`));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
