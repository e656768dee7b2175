import { parseDefenderEvent, isDefenderEvent } from './defender-event.js';
import { parseDirectRequest } from './direct-request.js';
import type { IntakeLimits, ParseResult } from './intake-command.js';

/**
 * The relay forwards the bare Defender event, which names no person. Requests that carry no
 * `requestedBy` are recorded as coming from the relay; this address receives no mail.
 */
export const DEFENDER_RELAY_REQUESTER = 'defender-relay@exemption-broker.invalid';

export function parseIntake(body: unknown, limits: IntakeLimits, now: Date): ParseResult {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, problems: [{ field: 'body', message: 'must be a JSON object' }] };
  }
  return isDefenderEvent(body)
    ? parseDefenderEvent(body, limits, now, DEFENDER_RELAY_REQUESTER)
    : parseDirectRequest(body, limits, now);
}
