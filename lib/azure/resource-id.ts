import { hostileCharacters, isKeyword, KEYWORD, segmentRules, splitSegments } from './arm-id-grammar.js';

/** One `{type}/{name}` step below a provider namespace. */
export interface TypedName {
  readonly type: string;
  readonly name: string;
}

/** A subscription, resource group or resource: the scopes an exemption can be requested for. */
export type ResourceScope =
  | { readonly kind: 'subscription'; readonly subscriptionId: string }
  | { readonly kind: 'resourceGroup'; readonly subscriptionId: string; readonly resourceGroup: string }
  | {
    readonly kind: 'resource';
    readonly subscriptionId: string;
    readonly resourceGroup: string;
    readonly providerNamespace: string;
    /** Outermost first; child resources have more than one step. */
    readonly path: readonly [TypedName, ...TypedName[]];
  };

export type ParseOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/**
 * Reads `/subscriptions/{guid}[/resourceGroups/{rg}[/providers/{ns}/{type}/{name}[/{type}/{name}]…]]`
 * and nothing else; the reason says what was wrong, for the caller's 400.
 */
export function readResourceId(raw: string): ParseOutcome<ResourceScope> {
  const hostile = hostileCharacters(raw);
  if (hostile) return { ok: false, reason: hostile };
  const split = splitSegments(raw);
  if (!split.ok) return split;
  return readScopeSegments(split.segments);
}

/** The structural half of readResourceId, for callers that already split and screened the text. */
export function readScopeSegments(segments: readonly string[]): ParseOutcome<ResourceScope> {
  const [subs, subscriptionId, groups, resourceGroup, providers, providerNamespace, ...rest] = segments;
  if (isKeyword(subs, KEYWORD.providers)) {
    return { ok: false, reason: 'must be a subscription, resource group or resource, not a management group or tenant scope' };
  }
  if (!isKeyword(subs, KEYWORD.subscriptions) || subscriptionId === undefined) return { ok: false, reason: 'must start with /subscriptions/{subscriptionId}' };
  if (!segmentRules.subscriptionId(subscriptionId)) return { ok: false, reason: 'must name the subscription by its GUID' };
  const sub = subscriptionId.toLowerCase();
  if (groups === undefined) return { ok: true, value: { kind: 'subscription', subscriptionId: sub } };
  if (!isKeyword(groups, KEYWORD.resourceGroups) || resourceGroup === undefined) {
    return { ok: false, reason: 'may continue after the subscription only with /resourceGroups/{name} (subscription-level resources are not supported)' };
  }
  if (!segmentRules.groupName(resourceGroup)) return { ok: false, reason: 'has an invalid resource group name (1-90 letters, digits, _ - . ( ), not ending in .)' };
  if (providers === undefined) return { ok: true, value: { kind: 'resourceGroup', subscriptionId: sub, resourceGroup } };
  if (!isKeyword(providers, KEYWORD.providers) || providerNamespace === undefined) return { ok: false, reason: 'may continue after the resource group only with /providers/{namespace}/{type}/{name}' };
  if (!segmentRules.namespace(providerNamespace)) return { ok: false, reason: 'has an invalid provider namespace (like Microsoft.Storage)' };
  if (isKeyword(providerNamespace, KEYWORD.authorizationNamespace)) return { ok: false, reason: 'names a policy object, which cannot itself be exempted' };
  if (rest.some((s) => isKeyword(s, KEYWORD.providers))) return { ok: false, reason: 'names an extension resource, which is not an exemption target' };
  if (rest.length === 0 || rest.length % 2 !== 0) return { ok: false, reason: 'must end in a {type}/{name} pair' };
  const path: TypedName[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    const type = rest[i]!;
    const name = rest[i + 1]!;
    if (!segmentRules.type(type)) return { ok: false, reason: `has an invalid resource type "${type}" (letters and digits)` };
    if (!segmentRules.name(name)) return { ok: false, reason: 'has an invalid resource name (letters, digits, _ - . ( ), not starting or ending in .)' };
    path.push({ type, name });
  }
  return {
    ok: true,
    value: { kind: 'resource', subscriptionId: sub, resourceGroup, providerNamespace, path: path as [TypedName, ...TypedName[]] },
  };
}

export function parseResourceId(raw: string): ResourceScope | undefined {
  const read = readResourceId(raw);
  return read.ok ? read.value : undefined;
}

/** The unencoded path segments of a scope, keywords in their canonical spelling. */
export function resourceSegments(scope: ResourceScope): string[] {
  const segments = [KEYWORD.subscriptions, scope.subscriptionId];
  if (scope.kind === 'subscription') return segments;
  segments.push(KEYWORD.resourceGroups, scope.resourceGroup);
  if (scope.kind === 'resourceGroup') return segments;
  segments.push(KEYWORD.providers, scope.providerNamespace);
  for (const step of scope.path) segments.push(step.type, step.name);
  return segments;
}

/** The canonical text of a scope: what is stored, compared and shown. */
export function formatResourceId(scope: ResourceScope): string {
  return `/${resourceSegments(scope).join('/')}`;
}

/** The canonical form of an id, or undefined when it does not meet the grammar. */
export function canonicalResourceId(raw: string): string | undefined {
  const parsed = parseResourceId(raw);
  return parsed ? formatResourceId(parsed) : undefined;
}

/** ARM compares ids case-insensitively; two ids name the same scope when these keys are equal. */
export function scopeKey(scope: ResourceScope): string {
  return formatResourceId(scope).toLowerCase();
}

/** True when `upper` is `lower` itself or one of its ancestors. */
export function isScopeAtOrAbove(upper: ResourceScope, lower: ResourceScope): boolean {
  const u = scopeKey(upper);
  const l = scopeKey(lower);
  return u === l || l.startsWith(`${u}/`);
}

/**
 * An AWS or GCP resource Defender sees through a security connector (`…/securityConnectors/{name}/…`):
 * it is not an Azure resource, so no Azure Policy assignment evaluates it.
 */
export function isSecurityConnectorEntity(scope: ResourceScope): boolean {
  return scope.kind === 'resource' && scope.providerNamespace.toLowerCase() === 'microsoft.security'
    && scope.path[0].type.toLowerCase() === 'securityconnectors' && scope.path.length > 1;
}

// The helpers below compare ids ARM itself returned (assignment scopes, notScopes, definition ids),
// which are not parsed by the grammar above; they never build a URL.

export function normalizeResourceId(id: string): string {
  return `/${id.trim().replace(/^\/+|\/+$/g, '')}`;
}

/** True when `scope` is the resource itself or one of its ancestors (ARM ids compare case-insensitively). */
export function isAtOrAbove(scope: string, resourceId: string): boolean {
  const s = normalizeResourceId(scope).toLowerCase();
  const r = normalizeResourceId(resourceId).toLowerCase();
  return s === r || r.startsWith(`${s}/`) || s.startsWith('/providers/microsoft.management/managementgroups/');
}

export function sameArmId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && normalizeResourceId(a).toLowerCase() === normalizeResourceId(b).toLowerCase();
}

/** The subscription any ARM id lives in (resources, assignments, definitions), if it lives in one. */
export function subscriptionOf(id: string): string | undefined {
  return /^\/subscriptions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i.exec(normalizeResourceId(id))?.[1]?.toLowerCase();
}

export function lastSegment(id: string): string {
  return normalizeResourceId(id).split('/').pop() ?? id;
}
