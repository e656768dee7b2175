/**
 * The character- and segment-level rules every ARM id from outside must meet before it is read as a
 * path. They are deliberately narrower than ARM's own: anything that could change how a URL is resolved
 * (dot segments, encodings, separators) or how a page renders (markup) is refused, not cleaned.
 */

export const MAX_ARM_ID_LENGTH = 1024;

/** Why `raw` cannot be an ARM id at all, checked on the whole text before it is split. */
export function hostileCharacters(raw: string): string | undefined {
  if (raw.length === 0) return 'is empty';
  if (raw.length > MAX_ARM_ID_LENGTH) return `must be at most ${MAX_ARM_ID_LENGTH} characters`;
  // Order matters only for the message: the most specific reason wins.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(raw)) return 'must not contain control characters';
  if (/\s/.test(raw)) return 'must not contain whitespace';
  if (raw.includes('\\')) return 'must not contain backslashes';
  if (/[?#]/.test(raw)) return 'must not contain a query (?) or fragment (#)';
  if (raw.includes('%')) return 'must not be percent-encoded (%)';
  if (/[<>"'`{}|^]/.test(raw)) return 'must not contain markup characters';
  // Covers full-width and other look-alikes of "." and "/" that NFKC would fold onto ASCII.
  if (/[^\x21-\x7e]/.test(raw)) return 'must contain only ASCII letters, digits and - _ . ( )';
  return undefined;
}

/** Splits `/a/b/c` into segments; one trailing slash is tolerated (and dropped), nothing else is. */
export function splitSegments(raw: string): { ok: true; segments: string[] } | { ok: false; reason: string } {
  if (!raw.startsWith('/')) return { ok: false, reason: 'must start with /' };
  const body = raw.length > 1 && raw.endsWith('/') && !raw.endsWith('//') ? raw.slice(1, -1) : raw.slice(1);
  if (body.length === 0) return { ok: false, reason: 'names no scope (the tenant root is not allowed)' };
  const segments = body.split('/');
  if (segments.some((s) => s.length === 0)) return { ok: false, reason: 'must not contain empty segments (//)' };
  if (segments.some((s) => s === '.' || s === '..')) return { ok: false, reason: 'must not contain . or .. segments' };
  return { ok: true, segments };
}

/** ARM keywords compare case-insensitively; they are always written back in this spelling. */
export const KEYWORD = {
  subscriptions: 'subscriptions',
  resourceGroups: 'resourceGroups',
  providers: 'providers',
  managementNamespace: 'Microsoft.Management',
  managementGroups: 'managementGroups',
  authorizationNamespace: 'Microsoft.Authorization',
  policyAssignments: 'policyAssignments',
} as const;

export function isKeyword(segment: string | undefined, keyword: string): boolean {
  return segment !== undefined && segment.toLowerCase() === keyword.toLowerCase();
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Resource groups and management groups: ARM's documented set, ASCII only, never ending in '.'.
const GROUP_NAME = /^[A-Za-z0-9_().-]{0,89}[A-Za-z0-9_()-]$/;
const NAMESPACE = /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)+$/;
const TYPE = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
// Resource names: a conservative common subset of what resource providers allow; inner dots only.
const NAME = /^[A-Za-z0-9_()-](?:[A-Za-z0-9_().-]{0,258}[A-Za-z0-9_()-])?$/;

export const segmentRules = {
  subscriptionId: (s: string) => GUID.test(s),
  groupName: (s: string) => GROUP_NAME.test(s),
  namespace: (s: string) => s.length <= 64 && NAMESPACE.test(s),
  type: (s: string) => TYPE.test(s),
  name: (s: string) => NAME.test(s),
} as const;
