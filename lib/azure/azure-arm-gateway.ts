import { SecurityCenter } from '@azure/arm-security';
import { PolicyClient, type PolicyAssignment } from '@azure/arm-policy';
import { optionalProp as defined } from '../core/optional.js';
import { ArmError, toArmError } from './arm-error.js';
import { credentialScope, type ArmClientOptions } from './arm-client-options.js';
import type {
  ArmGateway, AssessmentCoverage, AssessmentInfo, AssessmentMetadataInfo, AssignmentInfo, PolicySetInfo, SecurityStandardInfo, StandardAssignmentInfo,
} from '../requests/ports/arm-gateway.js';
import { sdkScopeParameter } from './arm-path.js';
import { ArmRestClient } from './arm-rest-client.js';
import { assignmentScopeSegments, formatPolicyAssignmentId, parsePolicyAssignmentId } from './policy-assignment-id.js';
import { POLICY_EXEMPTIONS_API_VERSION, type PolicyExemptionProperties } from './policy-exemption.js';
import { formatResourceId, lastSegment, normalizeResourceId, parseResourceId, readResourceId, resourceSegments, subscriptionOf } from './resource-id.js';
import { contactEmails, SECURITY_CONTACTS_API_VERSION } from './security-contacts.js';
import type { StandardAssignmentExemptionProperties } from './standard-assignment.js';
import { StandardAssignmentCalls } from './standard-assignment-gateway.js';
import { countAssessedResources } from './assessment-coverage.js';

const AT_SCOPE = 'atScope()';
const NO_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

/** ArmGateway over the real Azure SDK clients; one instance per process, clients per subscription. */
export class AzureArmGateway implements ArmGateway {
  private readonly rest: ArmRestClient;
  private readonly standards: StandardAssignmentCalls;
  private readonly policyClients = new Map<string, PolicyClient>();
  private readonly securityClients = new Map<string, SecurityCenter>();

  constructor(private readonly options: ArmClientOptions) {
    this.rest = new ArmRestClient(options);
    this.standards = new StandardAssignmentCalls(this.rest);
  }

  async getAssessment(resourceId: string, assessmentKey: string): Promise<AssessmentInfo | undefined> {
    const parsed = parseResourceId(resourceId);
    if (!parsed) return undefined;
    try {
      // The SDK sends resourceId unencoded after its own "/": hand it encoded segments, no leading slash.
      // At 2021-06-01 `$expand` takes one value, `links` or `metadata` (an enum, not a list), and the
      // portal link comes only with `links`: two reads, side by side.
      const assessments = this.security(parsed.subscriptionId).assessments;
      const scope = sdkScopeParameter(resourceSegments(parsed));
      const [a, linked] = await Promise.all([
        assessments.get(scope, assessmentKey, { expand: 'metadata' }),
        assessments.get(scope, assessmentKey, { expand: 'links' }),
      ]);
      const id = formatResourceId(parsed);
      return {
        id: a.id ?? `${id}/providers/Microsoft.Security/assessments/${assessmentKey}`,
        resourceId: (a.resourceDetails as { id?: string } | undefined)?.id ?? id,
        displayName: a.displayName ?? a.metadata?.displayName ?? assessmentKey,
        ...defined('policyDefinitionId', a.metadata?.policyDefinitionId),
        ...defined('severity', a.metadata?.severity),
        ...defined('portalLink', linked.links?.azurePortalUri),
        ...defined('statusCode', a.status?.code),
      };
    } catch (error) {
      const armError = toArmError(error, `get assessment ${assessmentKey}`);
      if (armError.status === 404) return undefined;
      throw armError;
    }
  }

  async listAssignmentsAbove(resourceId: string): Promise<AssignmentInfo[]> {
    const parsed = parseResourceId(resourceId);
    if (!parsed) return [];
    const assignments = this.policy(parsed.subscriptionId).policyAssignments;
    const options = { filter: AT_SCOPE };
    // The SDK encodes group, namespace and name itself but sends parentResourcePath and resourceType as
    // given (they may hold slashes), so those two are encoded here, segment by segment.
    const pages = parsed.kind === 'resource'
      ? assignments.listForResource(parsed.resourceGroup, parsed.providerNamespace,
        parsed.path.slice(0, -1).flatMap((step) => [step.type, step.name]).map(encodeURIComponent).join('/'),
        encodeURIComponent(parsed.path.at(-1)!.type), parsed.path.at(-1)!.name, options)
      : parsed.kind === 'resourceGroup'
        ? assignments.listForResourceGroup(parsed.resourceGroup, options)
        : assignments.list(options);
    const found: AssignmentInfo[] = [];
    try {
      for await (const assignment of pages) {
        const info = assignmentInfo(assignment);
        if (info) found.push(info);
      }
    } catch (error) {
      throw toArmError(error, `list policy assignments above ${formatResourceId(parsed)}`);
    }
    return found;
  }

  async getAssignment(policyAssignmentId: string): Promise<AssignmentInfo | undefined> {
    const ref = parsePolicyAssignmentId(policyAssignmentId);
    if (!ref) return undefined;
    const id = formatPolicyAssignmentId(ref);
    // Management-group assignments need no subscription; the client just wants one.
    const subscriptionId = ref.scope.kind === 'managementGroup' ? NO_SUBSCRIPTION : ref.scope.subscriptionId;
    try {
      // The SDK sends scope unencoded after its own "/"; it encodes the name itself.
      const assignment = await this.policy(subscriptionId).policyAssignments.get(sdkScopeParameter(assignmentScopeSegments(ref.scope)), ref.name);
      return assignmentInfo(assignment);
    } catch (error) {
      const armError = toArmError(error, `get policy assignment ${id}`);
      if (armError.status === 404) return undefined;
      throw armError;
    }
  }

  async getPolicySetDefinition(policySetDefinitionId: string): Promise<PolicySetInfo | undefined> {
    const id = normalizeResourceId(policySetDefinitionId);
    const name = lastSegment(id);
    const lower = id.toLowerCase();
    const managementGroup = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)\//.exec(lower);
    const subscriptionId = subscriptionOf(id);
    try {
      const sets = this.policy(subscriptionId ?? NO_SUBSCRIPTION).policySetDefinitions;
      const set = managementGroup?.[1]
        ? await sets.getAtManagementGroup(id.split('/')[4]!, name)
        : subscriptionId ? await sets.get(name) : await sets.getBuiltIn(name);
      return {
        id: set.id ?? id,
        policyDefinitions: (set.policyDefinitions ?? []).map((ref) => ({
          policyDefinitionId: ref.policyDefinitionId,
          ...defined('policyDefinitionReferenceId', ref.policyDefinitionReferenceId),
        })),
      };
    } catch (error) {
      const armError = toArmError(error, `get policy set definition ${id}`);
      if (armError.status === 404) return undefined;
      throw armError;
    }
  }

  async listSecurityContactEmails(subscriptionId: string): Promise<string[]> {
    const subscription = parseResourceId(`/subscriptions/${subscriptionId}`);
    if (subscription?.kind !== 'subscription') throw new ArmError(400, 'InvalidSubscriptionId', 'not a subscription id', false);
    const contacts = await this.rest.listAll<{ properties?: { emails?: string } }>(
      [...resourceSegments(subscription), 'providers', 'Microsoft.Security', 'securityContacts'], SECURITY_CONTACTS_API_VERSION);
    return contactEmails(contacts);
  }

  async putExemption(scope: string, name: string, properties: PolicyExemptionProperties): Promise<string> {
    // The apply worker has checked the scope against the review; this refuses anything the grammar does not.
    const parsed = readResourceId(scope);
    if (!parsed.ok) throw new ArmError(400, 'InvalidScope', `refusing to exempt at a scope that ${parsed.reason}`, false);
    const segments = [...resourceSegments(parsed.value), 'providers', 'Microsoft.Authorization', 'policyExemptions', name];
    const { body } = await this.rest.send<{ id?: string }>('PUT', segments, POLICY_EXEMPTIONS_API_VERSION, { properties });
    return body.id ?? `/${segments.join('/')}`;
  }

  getAssessmentMetadata(assessmentKey: string): Promise<AssessmentMetadataInfo | undefined> {
    return this.standards.getAssessmentMetadata(assessmentKey);
  }

  listSecurityStandards(scope: string): Promise<SecurityStandardInfo[]> {
    return this.standards.listSecurityStandards(scope);
  }

  listStandardAssignmentsAbove(scope: string): Promise<StandardAssignmentInfo[]> {
    return this.standards.listStandardAssignmentsAbove(scope);
  }

  getStandardAssignment(scope: string, name: string): Promise<StandardAssignmentInfo | undefined> {
    return this.standards.getStandardAssignment(scope, name);
  }

  putStandardAssignment(scope: string, name: string, properties: StandardAssignmentExemptionProperties): Promise<string> {
    return this.standards.putStandardAssignment(scope, name, properties);
  }

  deleteStandardAssignment(scope: string, name: string): Promise<boolean> {
    return this.standards.deleteStandardAssignment(scope, name);
  }

  countAssessedResources(scope: string, assessmentKey: string): Promise<AssessmentCoverage> {
    return countAssessedResources(this.rest, scope, assessmentKey);
  }

  private policy(subscriptionId: string): PolicyClient {
    let client = this.policyClients.get(subscriptionId);
    if (!client) {
      client = new PolicyClient(this.options.credential, subscriptionId, {
        endpoint: this.options.endpoint,
        credentials: { scopes: [credentialScope(this.options.endpoint)] },
        ...(this.options.retry ? { retryOptions: this.options.retry } : {}),
      });
      this.policyClients.set(subscriptionId, client);
    }
    return client;
  }

  private security(subscriptionId: string): SecurityCenter {
    let client = this.securityClients.get(subscriptionId);
    if (!client) {
      client = new SecurityCenter(this.options.credential, subscriptionId, {
        endpoint: this.options.endpoint,
        credentialScopes: [credentialScope(this.options.endpoint)],
        ...(this.options.retry ? { retryOptions: this.options.retry } : {}),
      });
      this.securityClients.set(subscriptionId, client);
    }
    return client;
  }
}

function assignmentInfo(assignment: PolicyAssignment): AssignmentInfo | undefined {
  if (!assignment.id || !assignment.policyDefinitionId) return undefined;
  return {
    id: assignment.id,
    policyDefinitionId: assignment.policyDefinitionId,
    notScopes: assignment.notScopes ?? [],
    ...defined('displayName', assignment.displayName),
    ...defined('scope', assignment.scope),
  };
}
