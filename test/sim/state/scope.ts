// ARM scope arithmetic. ARM ids are case-insensitive; we keep the seed's casing for output and compare lowercased.

export type ScopeKind = 'tenant' | 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource';

export interface ParsedScope {
  kind: ScopeKind;
  id: string;
  managementGroup?: string;
  subscriptionId?: string;
  resourceGroup?: string;
}

const MG_PREFIX = '/providers/microsoft.management/managementgroups/';

/** Collapses `//` (the SDKs emit it for an empty parentResourcePath), adds the leading slash, drops a trailing one. */
export function normalizeId(id: string): string {
  const trimmed = id.replace(/\/{2,}/g, '/').replace(/\/$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

export const idKey = (id: string): string => normalizeId(id).toLowerCase();

export function parseScope(raw: string): ParsedScope {
  const id = normalizeId(raw);
  const lower = id.toLowerCase();
  const parts = id.split('/').filter(Boolean);
  if (parts.length === 0) return { kind: 'tenant', id: '/' };
  if (lower.startsWith(MG_PREFIX) && parts.length === 4) return { kind: 'managementGroup', id, managementGroup: parts[3] };
  if (parts[0]?.toLowerCase() === 'subscriptions' && parts[1]) {
    const subscriptionId = parts[1];
    if (parts.length === 2) return { kind: 'subscription', id, subscriptionId };
    if (parts[2]?.toLowerCase() === 'resourcegroups' && parts[3]) {
      if (parts.length === 4) return { kind: 'resourceGroup', id, subscriptionId, resourceGroup: parts[3] };
      return { kind: 'resource', id, subscriptionId, resourceGroup: parts[3] };
    }
  }
  // Subscription-level resources (e.g. /subscriptions/{s}/providers/X/y/z) and anything else count as resources.
  return { kind: 'resource', id, ...(parts[0]?.toLowerCase() === 'subscriptions' ? { subscriptionId: parts[1] } : {}) };
}

/**
 * The scope directly containing `raw`, without management groups (the caller knows the hierarchy):
 * nested resource → parent resource → resource group → subscription.
 */
export function parentWithinSubscription(raw: string): string | undefined {
  const s = parseScope(raw);
  if (s.kind === 'resourceGroup') return `/subscriptions/${s.subscriptionId}`;
  if (s.kind !== 'resource') return undefined;
  const parts = s.id.split('/').filter(Boolean);
  const providersAt = parts.map((p) => p.toLowerCase()).lastIndexOf('providers');
  if (providersAt < 0) return undefined;
  // After "providers": namespace, then type/name pairs. More than one pair = nested resource.
  const typeNamePairs = parts.slice(providersAt + 2);
  if (typeNamePairs.length > 2) return `/${parts.slice(0, parts.length - 2).join('/')}`;
  const owner = parts.slice(0, providersAt);
  return owner.length ? `/${owner.join('/')}` : undefined;
}

/** Splits `{scope}/providers/{ns}/{type}/{name}` for an extension resource such as an exemption. */
export function splitExtensionId(id: string, typeSegment: string): { scope: string; name: string } | undefined {
  const n = normalizeId(id);
  const marker = `/providers/${typeSegment}/`.toLowerCase();
  const at = n.toLowerCase().lastIndexOf(marker);
  if (at < 0) return undefined;
  const name = n.slice(at + marker.length);
  if (!name || name.includes('/')) return undefined;
  return { scope: at === 0 ? '/' : n.slice(0, at), name };
}

export function managementGroupId(name: string): string {
  return `/providers/Microsoft.Management/managementGroups/${name}`;
}
