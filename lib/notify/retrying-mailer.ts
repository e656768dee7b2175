import { setTimeout as delay } from 'node:timers/promises';
import type { Mailer, OutgoingMail } from './mailer.js';

export interface RetryOptions {
  /** Tries in all, including the first; default 3. */
  readonly attempts?: number;
  /** Wait after failed attempt number `attempt` (1-based); default 500 ms doubling. */
  readonly backoffMs?: (attempt: number) => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Absorbs brief relay hiccups (a dropped connection, a 4xx greylisting reply) within one invocation.
 * It stays short on purpose: the queue's redelivery is the outer, slower retry.
 */
export class RetryingMailer implements Mailer {
  readonly #attempts: number;
  readonly #backoffMs: (attempt: number) => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly inner: Mailer,
    options: RetryOptions = {},
  ) {
    const attempts = options.attempts ?? 3;
    if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be an integer >= 1, got ${attempts}`);
    this.#attempts = attempts;
    this.#backoffMs = options.backoffMs ?? ((attempt) => 500 * 2 ** (attempt - 1));
    this.#sleep = options.sleep ?? ((ms) => delay(ms));
  }

  async send(mail: OutgoingMail): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.inner.send(mail);
        return;
      } catch (error) {
        if (attempt >= this.#attempts) throw error;
        await this.#sleep(this.#backoffMs(attempt));
      }
    }
  }
}
