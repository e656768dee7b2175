/** How wide an exemption may be (MAX_SCOPE_LEVEL): each level allows the ones before it. */
export const SCOPE_LEVELS = ['resource', 'resourceGroup', 'subscription'] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

/** True when an exemption at `kind` is wider than `max` allows. */
export function widerThan(kind: ScopeLevel, max: ScopeLevel): boolean {
  return SCOPE_LEVELS.indexOf(kind) > SCOPE_LEVELS.indexOf(max);
}
