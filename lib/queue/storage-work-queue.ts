import type { QueueClient } from '@azure/storage-queue';
import type { SendOptions, WorkQueue } from '../requests/ports/work-queue.js';

/** Azure Queue Storage hides a message for at most seven days. */
const MAX_VISIBILITY_DELAY_SECONDS = 7 * 24 * 3600;

export class StorageWorkQueue<T> implements WorkQueue<T> {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly queue: QueueClient, private readonly createIfMissing: boolean) {}

  async send(message: T, options: SendOptions = {}): Promise<void> {
    if (this.createIfMissing) {
      this.ready ??= this.queue.createIfNotExists();
      await this.ready;
    }
    // host.json sets messageEncoding "none", so the trigger reads the JSON text as sent.
    const delay = Math.min(Math.max(0, Math.ceil(options.delaySeconds ?? 0)), MAX_VISIBILITY_DELAY_SECONDS);
    await this.queue.sendMessage(JSON.stringify(message), delay > 0 ? { visibilityTimeout: delay } : {});
  }
}
