import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Mailer, OutgoingMail } from './mailer.js';

export interface SmtpMailerOptions {
  readonly from: string;
  readonly host: string;
  readonly port: number;
  /** true: TLS from the first byte (port 465). false: plain, upgraded by STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user?: string;
  readonly password?: string;
}

/**
 * Sends through an SMTP relay. Nodemailer's defaults wait minutes on a silent server; a function
 * invocation should fail fast instead and leave the retry to RetryingMailer and queue redelivery.
 */
export class SmtpMailer implements Mailer {
  readonly #from: string;
  readonly #transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(options: SmtpMailerOptions) {
    this.#from = options.from;
    const transportOptions: SMTPTransport.Options = {
      host: options.host,
      port: options.port,
      secure: options.secure,
      // A worker sends a handful of mails per invocation; a pool would keep sockets open across idle time.
      pool: false,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
      ...(options.user === undefined ? {} : { auth: { user: options.user, pass: options.password ?? '' } }),
    };
    this.#transport = nodemailer.createTransport(transportOptions);
  }

  async send(mail: OutgoingMail): Promise<void> {
    // Resolves when the relay accepted at least one recipient; it rejects when it accepted none.
    await this.#transport.sendMail({
      from: this.#from,
      to: [...mail.to],
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
  }

  close(): void {
    this.#transport.close();
  }
}
