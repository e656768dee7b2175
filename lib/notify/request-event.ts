import type { z } from 'zod';
import { lazily, zod } from '../core/lazy-zod.js';
import type { WorkQueue } from '../requests/ports/work-queue.js';

/**
 * What happened to a request, as the channels beyond e-mail (a Teams card, a ticket) hear of it. Each
 * channel has its own queue of these, so an outage of one channel delays only that channel and never
 * blocks, repeats or loses the request's e-mail.
 */
export const REQUEST_EVENTS = ['notified', 'decided', 'applied', 'failed', 'expiring', 'expired', 'revoked', 'removed'] as const;
export type RequestEventKind = (typeof REQUEST_EVENTS)[number];

export interface RequestEventMessage {
  readonly kind: 'request-event';
  readonly requestId: string;
  readonly event: RequestEventKind;
  /** For `expiring`: the warning threshold crossed, in days. */
  readonly thresholdDays?: number;
  /** For `revoked`: what the sweep saw. */
  readonly detail?: string;
}

const messageSchema = lazily(() => {
  const z = zod();
  return z.object({
    kind: z.literal('request-event'),
    requestId: z.string().min(1).max(64),
    event: z.enum(REQUEST_EVENTS),
    thresholdDays: z.number().int().min(0).max(3650).optional(),
    detail: z.string().max(2_000).optional(),
  });
});

export function requestEventSchema(): z.ZodType<RequestEventMessage> {
  return messageSchema();
}

/** Where one channel's events go: a queue its own worker drains, retrying on the host's schedule. */
export interface RequestEventOutbox {
  /** The channel, for log lines ("teams", "tickets"). */
  readonly channel: string;
  send(message: RequestEventMessage): Promise<void>;
}

/** A channel's outbox is its queue; its worker keeps what concerns it (a ticket channel: linked requests). */
export function queueOutbox(channel: string, queue: () => Promise<WorkQueue<RequestEventMessage>>): RequestEventOutbox {
  return { channel, send: async (message) => (await queue()).send(message) };
}
