// The small $filter grammar Microsoft.Authorization accepts on list calls: function clauses and
// `<property> eq '<value>'`, joined by `and`.
import { invalidRequestContent } from '../arm/errors.js';

export interface PolicyFilter {
  atScope: boolean;
  atExactScope: boolean;
  excludeExpired: boolean;
  policyAssignmentId?: string;
  policyDefinitionId?: string;
}

type Clause = 'atScope()' | 'atExactScope()' | 'excludeExpired()' | 'policyAssignmentId' | 'policyDefinitionId';

export function parsePolicyFilter(raw: string | undefined, allowed: readonly Clause[]): PolicyFilter {
  const f: PolicyFilter = { atScope: false, atExactScope: false, excludeExpired: false };
  if (raw === undefined || raw.trim() === '') return f;
  const reject = (why: string) => invalidRequestContent(
    [{ target: 'query.$filter', message: why, keyword: 'filter' }],
    `Invalid $filter '${raw}': ${why}. Supported: ${allowed.map((a) => a.endsWith('()') ? a : `${a} eq '{value}'`).join(', ')}.`,
  );
  for (const clause of raw.split(/\s+and\s+/i).map((c) => c.trim())) {
    const fn = allowed.find((a) => a.endsWith('()') && a.toLowerCase() === clause.replace(/\s+/g, '').toLowerCase());
    if (fn === 'atScope()') f.atScope = true;
    else if (fn === 'atExactScope()') f.atExactScope = true;
    else if (fn === 'excludeExpired()') f.excludeExpired = true;
    else {
      const m = /^(\w+)\s+eq\s+'((?:[^']|'')*)'$/i.exec(clause);
      const prop = allowed.find((a) => !a.endsWith('()') && a.toLowerCase() === m?.[1]?.toLowerCase());
      if (!m || !prop) throw reject(`unsupported clause '${clause}'`);
      const value = m[2]!.replace(/''/g, "'");
      if (prop === 'policyAssignmentId') f.policyAssignmentId = value;
      else f.policyDefinitionId = value;
    }
  }
  if (f.atScope && f.atExactScope) throw reject('atScope() and atExactScope() exclude each other');
  return f;
}
