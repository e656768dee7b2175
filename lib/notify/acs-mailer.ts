import { EmailClient, type EmailClientOptions, type EmailMessage } from '@azure/communication-email';
import type { TokenCredential } from '@azure/core-auth';
import type { Mailer, OutgoingMail } from './mailer.js';

export interface AcsMailerOptions {
  /** Pipeline options for the SDK client (retries, TLS trust for a test endpoint, …). */
  readonly client?: EmailClientOptions;
  /** How often to poll the send operation; the SDK's default suits production. */
  readonly pollIntervalMs?: number;
}

/** The ACS message for one outgoing mail: every recipient on To, both bodies. */
export function toAcsMessage(from: string, mail: OutgoingMail): EmailMessage {
  return {
    senderAddress: from,
    content: { subject: mail.subject, html: mail.html, plainText: mail.text },
    recipients: { to: mail.to.map((address) => ({ address })) },
  };
}

/** Sends through Azure Communication Services Email with the app's managed identity. */
export class AcsMailer implements Mailer {
  readonly #client: EmailClient;

  constructor(
    endpoint: string,
    credential: TokenCredential,
    private readonly from: string,
    private readonly options: AcsMailerOptions = {},
  ) {
    this.#client = new EmailClient(endpoint, credential, options.client);
  }

  async send(mail: OutgoingMail): Promise<void> {
    const poller = await this.#client.beginSend(
      toAcsMessage(this.from, mail),
      this.options.pollIntervalMs === undefined ? {} : { updateIntervalInMs: this.options.pollIntervalMs },
    );
    const result = await poller.pollUntilDone();
    // ACS accepts first and delivers later; only Succeeded means the service took the message for delivery.
    if (result.status !== 'Succeeded') {
      const why = result.error ? `: ${result.error.code ?? 'error'}: ${result.error.message ?? ''}` : '';
      throw new Error(`ACS email operation ${result.id} ended ${result.status}${why}`);
    }
  }
}
