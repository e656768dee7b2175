import type { QueueClient } from '@azure/storage-queue';
import type { WorkQueue } from '../requests/ports/work-queue.js';

export class StorageWorkQueue<T> implements WorkQueue<T> {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly queue: QueueClient, private readonly createIfMissing: boolean) {}

  async send(message: T): Promise<void> {
    if (this.createIfMissing) {
      this.ready ??= this.queue.createIfNotExists();
      await this.ready;
    }
    // host.json sets messageEncoding "none", so the trigger reads the JSON text as sent.
    await this.queue.sendMessage(JSON.stringify(message));
  }
}
