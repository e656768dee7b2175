/** Parsing of ARM resource ids, which arrive with varying case and sometimes trailing slashes. */
export interface ParsedResourceId {
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup?: string;
  /** Present for resources below a resource group. */
  readonly resource?: {
    readonly providerNamespace: string;
    readonly parentResourcePath: string;
    readonly resourceType: string;
    readonly name: string;
  };
}

const SUBSCRIPTION = /^\/subscriptions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i;

export function normalizeResourceId(id: string): string {
  return `/${id.trim().replace(/^\/+|\/+$/g, '')}`;
}

/** Returns undefined for anything that is not a subscription, resource group or resource id. */
export function parseResourceId(raw: string): ParsedResourceId | undefined {
  const id = normalizeResourceId(raw);
  const sub = SUBSCRIPTION.exec(id);
  if (!sub?.[1]) return undefined;
  const segments = id.split('/').slice(1);
  if (segments.some((segment) => segment.length === 0)) return undefined;
  const subscriptionId = sub[1].toLowerCase();
  if (segments.length === 2) return { id, subscriptionId };
  if (segments[2]?.toLowerCase() !== 'resourcegroups' || !segments[3]) return undefined;
  const resourceGroup = segments[3];
  if (segments.length === 4) return { id, subscriptionId, resourceGroup };
  // /subscriptions/s/resourceGroups/rg/providers/Ns/type/name[/childType/childName]...
  if (segments[4]?.toLowerCase() !== 'providers') return undefined;
  const rest = segments.slice(5);
  // Extension resources (a second /providers/) are not exemption targets.
  if (rest.length < 3 || rest.length % 2 === 0 || rest.some((s) => s.toLowerCase() === 'providers')) return undefined;
  const [providerNamespace, ...typeNamePairs] = rest as [string, ...string[]];
  const name = typeNamePairs[typeNamePairs.length - 1]!;
  const resourceType = typeNamePairs[typeNamePairs.length - 2]!;
  const parentResourcePath = typeNamePairs.slice(0, -2).join('/');
  return { id, subscriptionId, resourceGroup, resource: { providerNamespace, parentResourcePath, resourceType, name } };
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
  return SUBSCRIPTION.exec(normalizeResourceId(id))?.[1]?.toLowerCase();
}

export function lastSegment(id: string): string {
  return normalizeResourceId(id).split('/').pop() ?? id;
}
