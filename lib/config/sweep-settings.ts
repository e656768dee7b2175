import { segmentRules } from '../azure/arm-id-grammar.js';
import type { SweepScope } from '../sweep/model.js';

export interface SweepSettings {
  /** The host reads it (%SWEEP_SCHEDULE%); kept here so the settings page and docs can show it. */
  readonly schedule: string;
  readonly scope: SweepScope;
  /** Distinct, largest first. */
  readonly warnDays: readonly number[];
  /** Undefined: expired exemptions are never deleted. */
  readonly deleteExpiredAfterDays: number | undefined;
  readonly defenderLagHours: number;
  /** Empty: each subscription's security contacts plus the fallback approvers. */
  readonly digestTo: readonly string[];
}

const MANAGEMENT_GROUP = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)$/i;

/**
 * `SWEEP_SCOPE`: subscription GUIDs and management group ids, `;`- or `,`-separated. A management group
 * is written as its full id or as `mg:{name}`; anything else is refused, because a scope the sweep
 * misreads would silently leave exemptions unwatched.
 */
export function parseSweepScope(raw: string | undefined, problems: string[]): SweepScope {
  const subscriptions: string[] = [];
  const managementGroups: string[] = [];
  for (const item of (raw ?? '').split(/[;,]/).map((s) => s.trim()).filter(Boolean)) {
    const group = MANAGEMENT_GROUP.exec(item)?.[1] ?? (/^mg:/i.test(item) ? item.slice(3) : undefined);
    if (group !== undefined) {
      if (segmentRules.groupName(group) && !managementGroups.includes(group)) managementGroups.push(group);
      else if (!segmentRules.groupName(group)) problems.push(`SWEEP_SCOPE: "${item.slice(0, 100)}" is not a valid management group id`);
    } else if (segmentRules.subscriptionId(item)) {
      if (!subscriptions.includes(item.toLowerCase())) subscriptions.push(item.toLowerCase());
    } else {
      problems.push(`SWEEP_SCOPE: "${item.slice(0, 100)}" is neither a subscription id (GUID) nor /providers/Microsoft.Management/managementGroups/{id}`);
    }
  }
  // Resource Graph takes subscriptions or management groups in one query, not both.
  if (subscriptions.length > 0 && managementGroups.length > 0) {
    problems.push('SWEEP_SCOPE: name subscriptions or management groups, not both (a management group covers its subscriptions)');
  }
  return { subscriptions, managementGroups };
}

export function parseWarnDays(raw: string, problems: string[]): number[] {
  const days: number[] = [];
  for (const item of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const n = /^\d{1,3}$/.test(item) ? Number(item) : NaN;
    if (!(n >= 1 && n <= 365)) problems.push(`SWEEP_WARN_DAYS: "${item.slice(0, 20)}" is not a whole number of days from 1 to 365`);
    else if (!days.includes(n)) days.push(n);
  }
  if (days.length === 0 && problems.every((p) => !p.startsWith('SWEEP_WARN_DAYS'))) problems.push('SWEEP_WARN_DAYS: name at least one threshold');
  return days.sort((a, b) => b - a);
}
