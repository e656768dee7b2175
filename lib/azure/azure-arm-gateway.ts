import { SecurityCenter } from '@azure/arm-security';
import { PolicyClient, type PolicyAssignment } from '@azure/arm-policy';
import { optionalProp as defined } from '../core/optional.js';
import { toArmError } from './arm-error.js';
import { credentialScope, type ArmClientOptions } from './arm-client-options.js';
import type { ArmGateway, AssessmentInfo, AssignmentInfo, PolicySetInfo } from '../requests/ports/arm-gateway.js';
import { ArmRestClient } from './arm-rest-client.js';
import { POLICY_EXEMPTIONS_API_VERSION, type PolicyExemptionProperties } from './policy-exemption.js';
import { lastSegment, normalizeResourceId, parseResourceId, subscriptionOf } from './resource-id.js';
import { contactEmails, SECURITY_CONTACTS_API_VERSION } from './security-contacts.js';

const AT_SCOPE = 'atScope()';
const NO_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

/** ArmGateway over the real Azure SDK clients; one instance per process, clients per subscription. */
export class AzureArmGateway implements ArmGateway {
  private readonly rest: ArmRestClient;
  private readonly policyClients = new Map<string, PolicyClient>();
  private readonly securityClients = new Map<string, SecurityCenter>();

  constructor(private readonly options: ArmClientOptions) {
    this.rest = new ArmRestClient(options);
  }

  async getAssessment(resourceId: string, assessmentKey: string): Promise<AssessmentInfo | undefined> {
    const parsed = parseResourceId(resourceId);
    if (!parsed) return undefined;
    try {
      // The SDK puts "/" before the id itself: a leading slash would become "//subscriptions".
      // At 2021-06-01 `$expand` takes one value, `links` or `metadata` (an enum, not a list), and the
      // portal link comes only with `links`: two reads, side by side.
      const assessments = this.security(parsed.subscriptionId).assessments;
      const [a, linked] = await Promise.all([
        assessments.get(parsed.id.slice(1), assessmentKey, { expand: 'metadata' }),
        assessments.get(parsed.id.slice(1), assessmentKey, { expand: 'links' }),
      ]);
      return {
        id: a.id ?? `${parsed.id}/providers/Microsoft.Security/assessments/${assessmentKey}`,
        resourceId: (a.resourceDetails as { id?: string } | undefined)?.id ?? parsed.id,
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
    const pages = parsed.resource
      ? assignments.listForResource(parsed.resourceGroup!, parsed.resource.providerNamespace, parsed.resource.parentResourcePath,
        parsed.resource.resourceType, parsed.resource.name, options)
      : parsed.resourceGroup
        ? assignments.listForResourceGroup(parsed.resourceGroup, options)
        : assignments.list(options);
    const found: AssignmentInfo[] = [];
    try {
      for await (const assignment of pages) {
        const info = assignmentInfo(assignment);
        if (info) found.push(info);
      }
    } catch (error) {
      throw toArmError(error, `list policy assignments above ${parsed.id}`);
    }
    return found;
  }

  async getAssignment(policyAssignmentId: string): Promise<AssignmentInfo | undefined> {
    const id = normalizeResourceId(policyAssignmentId);
    const marker = '/providers/microsoft.authorization/policyassignments/';
    const at = id.toLowerCase().lastIndexOf(marker);
    if (at < 0) return undefined;
    const scope = id.slice(0, at);
    // Management-group assignments need no subscription; the client just wants one.
    const subscriptionId = subscriptionOf(scope) ?? NO_SUBSCRIPTION;
    try {
      const assignment = await this.policy(subscriptionId).policyAssignments.get(scope.replace(/^\//, ''), lastSegment(id));
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
    const contacts = await this.rest.listAll<{ properties?: { emails?: string } }>(
      `/subscriptions/${subscriptionId}/providers/Microsoft.Security/securityContacts`, SECURITY_CONTACTS_API_VERSION);
    return contactEmails(contacts);
  }

  async putExemption(scope: string, name: string, properties: PolicyExemptionProperties): Promise<string> {
    const path = `${normalizeResourceId(scope)}/providers/Microsoft.Authorization/policyExemptions/${name}`;
    const { body } = await this.rest.send<{ id?: string }>('PUT', path, POLICY_EXEMPTIONS_API_VERSION, { properties });
    return body.id ?? path;
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
