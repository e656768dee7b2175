import type { z } from 'zod';
import { lazily, zod } from '../core/lazy-zod.js';

/** Must equal host.json extensions.queues.maxDequeueCount (a test keeps them together). */
export const MAX_DEQUEUE_COUNT = 5;

const messageSchema = lazily(() => {
  const z = zod();
  return z.object({ kind: z.enum(['notify', 'apply']), requestId: z.string().min(1).max(64) });
});

export type QueueMessage = z.infer<ReturnType<typeof messageSchema>>;

export function readQueueMessage(entry: unknown): QueueMessage | undefined {
  return readJsonMessage(entry, messageSchema());
}

/** The host hands over a parsed object for JSON text, a string otherwise; either way the schema decides. */
export function readJsonMessage<T>(entry: unknown, schema: z.ZodType<T>): T | undefined {
  let value = entry;
  if (typeof entry === 'string') {
    try {
      value = JSON.parse(entry);
    } catch {
      return undefined;
    }
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function dequeueCountOf(triggerMetadata: Record<string, unknown> | undefined): number {
  const count = Number(triggerMetadata?.dequeueCount ?? 1);
  return Number.isFinite(count) && count > 0 ? count : 1;
}
