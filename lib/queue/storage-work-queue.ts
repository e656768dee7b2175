import type { QueueClient } from '@azure/storage-queue';
import type { WorkQueue } from './work-queue.js';

export class StorageWorkQueue<T> implements WorkQueue<T> {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly queue: QueueClient) {}

  async send(message: T): Promise<void> {
    this.ready ??= this.queue.createIfNotExists();
    await this.ready;
    await this.queue.sendMessage(JSON.stringify(message));
  }
}
