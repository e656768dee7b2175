/** One email, already rendered; transports add the sender. */
export interface OutgoingMail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** Sends an email or throws; resolving means the transport accepted the message. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}
