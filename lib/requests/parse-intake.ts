import { parseDefenderEvent, isDefenderEvent } from './defender-event.js';
import { parseDirectRequest } from './direct-request.js';
import type { IntakeLimits, ParseResult } from './intake-command.js';

/**
 * The relay forwards the bare Defender event, which names no person. Requests that carry no
 * `requestedBy` are recorded as coming from the relay; this address receives no mail.
 */
export const DEFENDER_RELAY_REQUESTER = 'defender-relay@exemption-broker.invalid';

/**
 * `caller` is the person App Service authentication vouches for, if any: then the requester is that
 * person, whatever the body says, and is recorded as authenticated. Without it the body's
 * `requestedBy` is only the caller's assertion, and is recorded as such.
 */
export function parseIntake(body: unknown, limits: IntakeLimits, now: Date, caller?: string): ParseResult {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, problems: [{ field: 'body', message: 'must be a JSON object' }] };
  }
  const input = caller === undefined ? body : withRequester(body as Record<string, unknown>, caller);
  const parsed = isDefenderEvent(input)
    ? parseDefenderEvent(input, limits, now, DEFENDER_RELAY_REQUESTER)
    : parseDirectRequest(input, limits, now);
  if (!parsed.ok || caller === undefined) return parsed;
  return { ok: true, command: { ...parsed.command, requesterAssurance: 'authenticated' } };
}

/** The body with its requester replaced, under whatever spelling of the field name it used. */
function withRequester(body: Record<string, unknown>, requester: string): Record<string, unknown> {
  const rest = Object.entries(body).filter(([key]) => key.toLowerCase() !== 'requestedby');
  return { ...Object.fromEntries(rest), requestedBy: requester };
}
