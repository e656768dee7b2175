import type { AssessmentCoverage } from '../requests/ports/arm-gateway.js';
import { ArmError } from './arm-error.js';
import type { ArmRestClient } from './arm-rest-client.js';
import { formatResourceId, readResourceId } from './resource-id.js';
import { isGuid } from './standard-assignment.js';

const RESOURCE_GRAPH = ['providers', 'Microsoft.ResourceGraph', 'resources'] as const;
const RESOURCE_GRAPH_API_VERSION = '2024-04-01';
const PAGE_ROWS = 1000;
/** 100,000 assessed resources under one scope; past that the count says "at least". */
const MAX_PAGES = 100;

interface GraphAnswer { data?: unknown; $skipToken?: string }

/**
 * How many resources under a resource group or subscription Defender assesses for one recommendation,
 * and how many it flags, from Resource Graph's `securityresources`. The key is a GUID and the scope a
 * parsed subscription or resource group, so neither can change the query's meaning; rows are read
 * through the subscription and matched to the scope here by id, which Resource Graph pages on.
 */
export async function countAssessedResources(rest: ArmRestClient, scope: string, assessmentKey: string): Promise<AssessmentCoverage> {
  if (!isGuid(assessmentKey)) throw new ArmError(400, 'InvalidAssessmentKey', 'refusing to count assessments for a key that is not a GUID', false);
  const parsed = readResourceId(scope);
  if (!parsed.ok || parsed.value.kind === 'resource') throw new ArmError(400, 'InvalidScope', 'assessments are counted only under a subscription or resource group', false);
  const prefix = `${formatResourceId(parsed.value).toLowerCase()}/`;
  const query = `securityresources | where type =~ 'microsoft.security/assessments' and name =~ '${assessmentKey.toLowerCase()}' | project id, properties`;
  let resources = 0;
  let unhealthy = 0;
  let skipToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const options = { $top: PAGE_ROWS, resultFormat: 'objectArray', ...(skipToken ? { $skipToken: skipToken } : {}) };
    const { body } = await rest.send<GraphAnswer>('POST', RESOURCE_GRAPH, RESOURCE_GRAPH_API_VERSION, {
      subscriptions: [parsed.value.subscriptionId], query, options,
    });
    for (const row of Array.isArray(body.data) ? body.data : []) {
      const { id, properties } = (row ?? {}) as { id?: unknown; properties?: { status?: { code?: unknown } } };
      if (typeof id !== 'string' || !id.toLowerCase().startsWith(prefix)) continue;
      resources++;
      if (typeof properties?.status?.code === 'string' && properties.status.code.toLowerCase() === 'unhealthy') unhealthy++;
    }
    skipToken = typeof body.$skipToken === 'string' && body.$skipToken ? body.$skipToken : undefined;
    if (!skipToken) return { resources, unhealthy, complete: true };
  }
  return { resources, unhealthy, complete: false };
}
