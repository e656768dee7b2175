// Rebuilds the ARM scope a list/get operation addresses from its path parameters.
import { notFound } from '../arm/errors.js';
import { managementGroupId, normalizeId } from '../state/scope.js';
import type { HandlerContext } from './types.js';

export function scopeFromParams(p: Record<string, string>): string {
  if (p.scope !== undefined) return normalizeId(p.scope);
  if (p.managementGroupId !== undefined) return managementGroupId(p.managementGroupId);
  const sub = `/subscriptions/${p.subscriptionId}`;
  if (p.resourceName !== undefined) {
    // ({ns}, {parent}, {type}, {name}) or the documented shortcut ('', '', '{ns}/{type}', {name}).
    const parts = [p.resourceProviderNamespace, p.parentResourcePath, p.resourceType, p.resourceName].filter(Boolean);
    return normalizeId(`${sub}/resourceGroups/${p.resourceGroupName}/providers/${parts.join('/')}`);
  }
  if (p.resourceGroupName !== undefined) return `${sub}/resourceGroups/${p.resourceGroupName}`;
  return sub;
}

/** The canonical id of an existing scope, or the 404 ARM gives for a missing one. */
export function existingScope(ctx: HandlerContext, raw: string): string {
  const canonical = ctx.state.canonical(raw);
  if (canonical) return canonical;
  const missing = ctx.state.missingScopeError(raw)!;
  throw notFound(missing.code, missing.message);
}
