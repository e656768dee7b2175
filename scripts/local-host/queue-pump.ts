import functions, { type StorageQueueHandler } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';

const { InvocationContext } = functions;

export interface QueuePumpOptions {
  readonly connectionString: string;
  readonly queueName: string;
  readonly functionName: string;
  readonly handler: StorageQueueHandler;
  /** host.json extensions.queues */
  readonly maxDequeueCount: number;
  readonly visibilityTimeoutSeconds: number;
  readonly pollIntervalMs: number;
  readonly log: (line: string) => void;
}

/**
 * What the Functions host's queue trigger does: receive, hand the JSON to the handler, delete on success,
 * let the message reappear on failure, and move it to <queue>-poison after maxDequeueCount deliveries.
 */
export class QueuePump {
  private readonly queue: QueueClient;
  private readonly poison: QueueClient;
  private running = false;
  private held = false;
  private poll: Promise<number> = Promise.resolve(0);
  private loop: Promise<void> | undefined;

  constructor(private readonly options: QueuePumpOptions) {
    this.queue = new QueueClient(options.connectionString, options.queueName);
    this.poison = new QueueClient(options.connectionString, `${options.queueName}-poison`);
  }

  async start(): Promise<void> {
    await this.queue.createIfNotExists();
    await this.poison.createIfNotExists();
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Stops taking messages (once the poll under way has finished) until release(): messages wait in the
   * queue, as they do while a real host is busy or scaling out.
   */
  async hold(): Promise<void> {
    this.held = true;
    await this.poll.catch(() => 0);
  }

  release(): void {
    this.held = false;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        if (!this.held) {
          this.poll = this.pollOnce();
          handled = await this.poll;
        }
      } catch (error) {
        this.options.log(`[${this.options.functionName}] queue poll failed: ${String(error)}`);
      }
      if (handled === 0) {
        await new Promise((resolve) => setTimeout(resolve, this.options.pollIntervalMs));
      }
    }
  }

  private async pollOnce(): Promise<number> {
    const { receivedMessageItems: messages } = await this.queue.receiveMessages({
      numberOfMessages: 8,
      visibilityTimeout: this.options.visibilityTimeoutSeconds,
    });
    for (const message of messages) {
      if (message.dequeueCount > this.options.maxDequeueCount) {
        await this.poison.sendMessage(message.messageText);
        await this.queue.deleteMessage(message.messageId, message.popReceipt);
        this.options.log(`[${this.options.functionName}] moved message ${message.messageId} to ${this.options.queueName}-poison`);
        continue;
      }
      const context = new InvocationContext({
        invocationId: message.messageId,
        functionName: this.options.functionName,
        triggerMetadata: { id: message.messageId, dequeueCount: message.dequeueCount, insertionTime: message.insertedOn, popReceipt: message.popReceipt },
        logHandler: (level, ...args) => this.options.log(`[${this.options.functionName}] ${level}: ${args.map(String).join(' ')}`),
      });
      try {
        await this.options.handler(parseBody(message.messageText), context);
        await this.queue.deleteMessage(message.messageId, message.popReceipt);
      } catch (error) {
        this.options.log(`[${this.options.functionName}] delivery ${message.dequeueCount} failed, will retry: ${String((error as Error)?.message ?? error)}`);
      }
    }
    return messages.length;
  }
}

/** The host passes JSON text as a parsed object. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
