import { optionalProp as defined } from '../core/optional.js';
import type {
  AssessmentMetadataInfo, SecurityStandardInfo, StandardAssignmentInfo,
} from '../requests/ports/arm-gateway.js';
import { ArmError } from './arm-error.js';
import type { ArmRestClient } from './arm-rest-client.js';
import { readResourceId, resourceSegments, type ResourceScope } from './resource-id.js';
import {
  ASSESSMENT_METADATA_API_VERSION, isGuid, STANDARD_ASSIGNMENTS_API_VERSION, type StandardAssignmentExemptionProperties,
} from './standard-assignment.js';

const SECURITY = ['providers', 'Microsoft.Security'] as const;

interface MetadataBody { properties?: { displayName?: string; policyDefinitionId?: string; assessmentType?: string; preview?: boolean } }
interface StandardBody { id?: string; name?: string; properties?: { displayName?: string; standardType?: string; assessments?: Array<{ assessmentKey?: string }>; cloudProviders?: string[] } }
interface AssignmentBody {
  id?: string;
  name?: string;
  properties?: {
    displayName?: string; description?: string; effect?: string; assignedStandard?: { id?: string }; expiresOn?: string; excludedScopes?: unknown;
    exemptionData?: { exemptionCategory?: string; assignedAssessment?: { assessmentKey?: string } };
  };
}

/**
 * Defender's own side of ARM (assessment metadata, security standards, standard assignments), over the
 * shared REST pipeline. Every scope, name and key is parsed before it becomes a path segment; anything
 * the grammar does not accept is refused here, before a request is made.
 */
export class StandardAssignmentCalls {
  constructor(private readonly rest: ArmRestClient) {}

  async getAssessmentMetadata(assessmentKey: string): Promise<AssessmentMetadataInfo | undefined> {
    if (!isGuid(assessmentKey)) throw new ArmError(400, 'InvalidAssessmentKey', 'refusing to read metadata for an assessment key that is not a GUID', false);
    const key = assessmentKey.toLowerCase();
    const body = await this.readOrUndefined<MetadataBody>([...SECURITY, 'assessmentMetadata', key], ASSESSMENT_METADATA_API_VERSION);
    if (!body) return undefined;
    const p = body.properties ?? {};
    return {
      assessmentKey: key,
      displayName: p.displayName ?? key,
      mechanism: p.policyDefinitionId ? 'policy' : 'defender',
      ...defined('policyDefinitionId', p.policyDefinitionId),
      ...defined('assessmentType', p.assessmentType),
      preview: p.preview === true,
    };
  }

  async listSecurityStandards(scope: string): Promise<SecurityStandardInfo[]> {
    const at = parseScope(scope);
    const items = await this.rest.listAll<StandardBody>([...resourceSegments(at), ...SECURITY, 'securityStandards'], STANDARD_ASSIGNMENTS_API_VERSION);
    return items.flatMap((s) => (s.id && s.name ? [{
      id: s.id,
      name: s.name,
      ...defined('displayName', s.properties?.displayName),
      ...defined('standardType', s.properties?.standardType),
      assessmentKeys: (s.properties?.assessments ?? []).flatMap((a) => (a.assessmentKey ? [a.assessmentKey.toLowerCase()] : [])),
      cloudProviders: s.properties?.cloudProviders ?? [],
    }] : []));
  }

  async listStandardAssignmentsAbove(scope: string): Promise<StandardAssignmentInfo[]> {
    const seen = new Set<string>();
    const found: StandardAssignmentInfo[] = [];
    for (const segments of ancestorSegments(parseScope(scope))) {
      const items = await this.rest.listAll<AssignmentBody>([...segments, ...SECURITY, 'standardAssignments'], STANDARD_ASSIGNMENTS_API_VERSION);
      for (const item of items) {
        const info = assignmentInfo(item, `/${segments.join('/')}`);
        if (info && !seen.has(info.id.toLowerCase())) {
          seen.add(info.id.toLowerCase());
          found.push(info);
        }
      }
    }
    return found;
  }

  async getStandardAssignment(scope: string, name: string): Promise<StandardAssignmentInfo | undefined> {
    const segments = assignmentSegments(scope, name);
    const body = await this.readOrUndefined<AssignmentBody>(segments, STANDARD_ASSIGNMENTS_API_VERSION);
    return body ? assignmentInfo(body, `/${resourceSegments(parseScope(scope)).join('/')}`) : undefined;
  }

  async putStandardAssignment(scope: string, name: string, properties: StandardAssignmentExemptionProperties): Promise<string> {
    const segments = assignmentSegments(scope, name);
    const { body } = await this.rest.send<{ id?: string }>('PUT', segments, STANDARD_ASSIGNMENTS_API_VERSION, { properties });
    return body.id ?? `/${segments.join('/')}`;
  }

  async deleteStandardAssignment(scope: string, name: string): Promise<boolean> {
    const { status } = await this.rest.send('DELETE', assignmentSegments(scope, name), STANDARD_ASSIGNMENTS_API_VERSION);
    return status === 200;
  }

  private async readOrUndefined<T>(segments: readonly string[], apiVersion: string): Promise<T | undefined> {
    try {
      return (await this.rest.send<T>('GET', segments, apiVersion)).body;
    } catch (error) {
      if (error instanceof ArmError && error.status === 404) return undefined;
      throw error;
    }
  }
}

function parseScope(scope: string): ResourceScope {
  const parsed = readResourceId(scope);
  if (!parsed.ok) throw new ArmError(400, 'InvalidScope', `refusing a standard-assignment scope that ${parsed.reason}`, false);
  return parsed.value;
}

function assignmentSegments(scope: string, name: string): string[] {
  const at = parseScope(scope);
  // ARM's pattern for standardAssignmentName is a GUID; nothing else reaches the path.
  if (!isGuid(name)) throw new ArmError(400, 'InvalidName', 'refusing a standard-assignment name that is not a GUID', false);
  return [...resourceSegments(at), ...SECURITY, 'standardAssignments', name.toLowerCase()];
}

/** The scope's own segments, then each parent resource, the resource group and the subscription. */
function ancestorSegments(scope: ResourceScope): string[][] {
  const chain: string[][] = [];
  if (scope.kind === 'resource') {
    for (let steps = scope.path.length; steps >= 1; steps--) {
      chain.push(resourceSegments({ ...scope, path: scope.path.slice(0, steps) as [typeof scope.path[0], ...typeof scope.path] }));
    }
  }
  if (scope.kind !== 'subscription') chain.push(resourceSegments({ kind: 'resourceGroup', subscriptionId: scope.subscriptionId, resourceGroup: scope.resourceGroup }));
  chain.push(resourceSegments({ kind: 'subscription', subscriptionId: scope.subscriptionId }));
  return chain;
}

function assignmentInfo(a: AssignmentBody, scope: string): StandardAssignmentInfo | undefined {
  if (!a.id || !a.name) return undefined;
  const p = a.properties ?? {};
  return {
    id: a.id,
    name: a.name,
    scope,
    ...defined('displayName', p.displayName),
    ...defined('description', p.description),
    ...defined('effect', p.effect),
    ...defined('assignedStandardId', p.assignedStandard?.id),
    ...(Array.isArray(p.excludedScopes) && p.excludedScopes.length > 0 ? { excludedScopes: p.excludedScopes.filter((s): s is string => typeof s === 'string') } : {}),
    ...defined('assessmentKey', p.exemptionData?.assignedAssessment?.assessmentKey),
    ...defined('exemptionCategory', p.exemptionData?.exemptionCategory),
    ...defined('expiresOn', p.expiresOn),
  };
}
