import { zod } from '../core/lazy-zod.js';
import type { IntakeLimits, ParseResult } from './intake-command.js';
import { intakeFields, problemsFrom } from './intake-fields.js';

type Json = Record<string, unknown>;

/** Field names differ in case between Defender's export, the Logic App trigger and hand-made events. */
function pick(object: unknown, ...names: string[]): unknown {
  if (!object || typeof object !== 'object' || Array.isArray(object)) return undefined;
  const entries = Object.entries(object as Json);
  for (const name of names) {
    const hit = entries.find(([key]) => key.toLowerCase() === name.toLowerCase());
    if (hit && hit[1] !== undefined && hit[1] !== null) return hit[1];
  }
  return undefined;
}

const ASSESSMENT_ID = /\/providers\/Microsoft\.Security\/assessments\/[^/]+\/?$/i;

/** A Defender recommendation event: an assessment id plus a `properties` object. */
export function isDefenderEvent(body: unknown): boolean {
  const id = pick(body, 'id');
  return typeof id === 'string' && ASSESSMENT_ID.test(id) && typeof pick(body, 'properties') === 'object';
}

/**
 * Reads the event the relay Logic App forwards. It only points at a resource and a recommendation:
 * the assessment and its policy are read from ARM afterwards, so a forged event cannot choose the policy.
 * Optional top-level fields (requestedBy, justification, category, expiresOn, ticketRef) let the relay
 * pass what the user typed.
 */
export function parseDefenderEvent(body: unknown, limits: IntakeLimits, now: Date, fallbackRequester: string): ParseResult {
  const f = intakeFields(limits, now);
  const properties = pick(body, 'properties');
  const details = pick(properties, 'resourceDetails');
  const links = pick(properties, 'links');
  const metadata = pick(properties, 'metadata');
  const id = String(pick(body, 'id'));
  const candidate = {
    resourceId: pick(details, 'id', 'resourceId'),
    assessmentKey: pick(body, 'name') ?? id.replace(/\/+$/, '').split('/').pop(),
    category: pick(body, 'category'),
    justification: pick(body, 'justification') ?? 'Requested from the Defender for Cloud recommendation blade.',
    expiresOn: pick(body, 'expiresOn'),
    requestedBy: pick(body, 'requestedBy') ?? fallbackRequester,
    requesterAssurance: pick(body, 'requestedBy') === undefined ? 'relay' as const : 'asserted' as const,
    ticketRef: pick(body, 'ticketRef'),
  };
  const z = zod();
  const schema = z.object({
    resourceId: f.resourceId,
    assessmentKey: f.assessmentKey,
    category: f.category,
    justification: f.justification,
    expiresOn: f.expiresOn,
    requestedBy: f.requestedBy,
    ticketRef: f.ticketRef,
  });
  const parsed = schema.safeParse(candidate);
  if (!parsed.success) {
    const renamed = problemsFrom(parsed.error).map((p) => ({ ...p, field: EVENT_FIELD[p.field] ?? p.field }));
    return { ok: false, problems: renamed };
  }
  const v = parsed.data;
  const displayName = pick(properties, 'displayName') ?? pick(metadata, 'displayName');
  const portal = pick(links, 'azurePortal', 'azurePortalUri');
  const severity = pick(metadata, 'severity');
  return {
    ok: true,
    command: {
      source: 'defender',
      resourceIds: [v.resourceId],
      selector: { kind: 'assessment', assessmentKey: v.assessmentKey },
      category: v.category,
      justification: v.justification,
      expiresOn: v.expiresOn,
      requestedBy: v.requestedBy,
      requesterAssurance: candidate.requesterAssurance,
      maxScopeLevel: limits.maxScopeLevel,
      ...(v.ticketRef === undefined ? {} : { ticketRef: v.ticketRef }),
      hints: {
        ...(typeof displayName === 'string' ? { displayName } : {}),
        ...(typeof portal === 'string' ? { portalLink: portal } : {}),
        ...(typeof severity === 'string' ? { severity } : {}),
      },
    },
  };
}

/** Problems are reported with the event's own field paths. */
const EVENT_FIELD: Record<string, string> = {
  resourceId: 'properties.resourceDetails.id',
  assessmentKey: 'name',
};
