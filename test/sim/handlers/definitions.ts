// Policy (set) definitions at 2025-03-01: built-in, subscription and management-group gets.
import { notFound } from '../arm/errors.js';
import type { SeedPolicyDefinition, SeedPolicySetDefinition } from '../seed-types.js';
import { idKey, managementGroupId } from '../state/scope.js';
import { ok, type Handler } from './types.js';

const SET_TYPE = 'Microsoft.Authorization/policySetDefinitions';
const DEF_TYPE = 'Microsoft.Authorization/policyDefinitions';

function definitionScope(p: Record<string, string>): string {
  if (p.subscriptionId) return `/subscriptions/${p.subscriptionId}`;
  if (p.managementGroupId) return managementGroupId(p.managementGroupId);
  return '';
}

const nameOf = (id: string): string => id.split('/').pop() ?? id;

function toSetResource(s: SeedPolicySetDefinition): object {
  return {
    id: s.id, name: nameOf(s.id), type: SET_TYPE,
    properties: {
      displayName: s.displayName,
      ...(s.description ? { description: s.description } : {}),
      policyType: s.policyType,
      metadata: { category: s.category ?? 'General', version: s.version ?? '1.0.0' },
      version: s.version ?? '1.0.0',
      parameters: {},
      policyDefinitions: s.policyDefinitions.map((d) => ({
        policyDefinitionId: d.policyDefinitionId,
        definitionVersion: '1.*.*',
        policyDefinitionReferenceId: d.policyDefinitionReferenceId,
        parameters: {},
        groupNames: d.groupNames ?? [],
      })),
      policyDefinitionGroups: [],
    },
  };
}

function toDefinitionResource(d: SeedPolicyDefinition): object {
  return {
    id: d.id, name: nameOf(d.id), type: DEF_TYPE,
    properties: {
      displayName: d.displayName,
      ...(d.description ? { description: d.description } : {}),
      policyType: d.policyType,
      mode: d.mode,
      metadata: { category: d.category ?? 'General', version: d.version ?? '1.0.0' },
      version: d.version ?? '1.0.0',
      parameters: {},
      policyRule: { if: { field: 'type', equals: 'Microsoft.Resources/dummy' }, then: { effect: d.effect ?? 'Audit' } },
    },
  };
}

const getSet: Handler = (ctx) => {
  const id = `${definitionScope(ctx.params)}/providers/${SET_TYPE}/${ctx.params.policySetDefinitionName}`;
  const s = ctx.state.policySetDefinitions.get(idKey(id));
  if (!s) throw notFound('PolicySetDefinitionNotFound', `The policy set definition '${ctx.params.policySetDefinitionName}' could not be found.`);
  return ok(toSetResource(s));
};

const getDefinition: Handler = (ctx) => {
  const id = `${definitionScope(ctx.params)}/providers/${DEF_TYPE}/${ctx.params.policyDefinitionName}`;
  const d = ctx.state.policyDefinitions.get(idKey(id));
  if (!d) throw notFound('PolicyDefinitionNotFound', `The policy definition '${ctx.params.policyDefinitionName}' could not be found.`);
  return ok(toDefinitionResource(d));
};

export const definitionHandlers: Record<string, Handler> = {
  PolicySetDefinitions_GetBuiltIn: getSet,
  PolicySetDefinitions_Get: getSet,
  PolicySetDefinitions_GetAtManagementGroup: getSet,
  PolicyDefinitions_GetBuiltIn: getDefinition,
  PolicyDefinitions_Get: getDefinition,
  PolicyDefinitions_GetAtManagementGroup: getDefinition,
};
