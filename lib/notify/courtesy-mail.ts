import type { Mailer } from './mailer.js';
import { deliverable } from './recipients.js';

/**
 * Result emails are a courtesy: the stored state is the record, so a mail failure is reported, not
 * thrown, and never undoes a decision or an exemption.
 */
export async function sendCourtesyMail(
  ports: { mailer: Mailer; warn?: (message: string) => void },
  to: readonly (string | undefined)[],
  mail: { subject: string; html: string; text: string },
): Promise<void> {
  const recipients = deliverable(to);
  if (recipients.length === 0) return;
  await ports.mailer.send({ to: recipients, ...mail }).catch((error: unknown) => {
    ports.warn?.(`could not email ${recipients.join(', ')} "${mail.subject}": ${String((error as Error)?.message ?? error)}`);
  });
}
