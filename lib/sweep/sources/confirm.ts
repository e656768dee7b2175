import { armPath } from '../../azure/arm-path.js';
import { POLICY_EXEMPTIONS_API_VERSION } from '../../azure/policy-exemption.js';
import type { ResourceScope } from '../../azure/resource-id.js';
import type { SweepArmTransport } from '../arm-transport.js';
import { exemptionId, exemptionSegments, readExemptionRow } from './exemption-rows.js';

import type { Confirmation, StandardConfirmation } from '../ports/sweep-arm.js';
import { STANDARD_ASSIGNMENTS_API_VERSION } from '../../azure/standard-assignment.js';
import { effectOf, isExemptRow, readStandardExemptionRow, standardExemptionId, standardExemptionSegments } from './standard-rows.js';

export type { Confirmation };

/**
 * Reads one exemption straight from ARM before the sweep acts on it: Resource Graph rows can lag ARM
 * by minutes, so a row may describe an exemption that was renewed, changed or deleted since. The URL
 * is built from the parsed scope and name, never from a row's id text. Errors other than 404 (403,
 * 5xx after retries) are thrown as ArmError: not knowing is not the same as gone.
 */
export async function confirmExemption(transport: SweepArmTransport, target: { readonly scope: ResourceScope; readonly name: string }): Promise<Confirmation> {
  const answer = await transport.send('GET', armPath(exemptionSegments(target.scope, target.name)), { 'api-version': POLICY_EXEMPTIONS_API_VERSION }, { accept: [404] });
  if (answer.status === 404) return { state: 'gone' };
  const read = readExemptionRow(answer.body);
  if (!read.ok) return { state: 'unreadable', reason: read.reason };
  if (read.value.id.toLowerCase() !== exemptionId(target.scope, target.name).toLowerCase()) {
    return { state: 'unreadable', reason: `ARM answered with another exemption (${read.value.id})` };
  }
  return { state: 'present', exemption: read.value };
}

/** The same read for a standard assignment: one whose effect is no longer `Exempt` is said to be so. */
export async function confirmStandardExemption(transport: SweepArmTransport, target: { readonly scope: ResourceScope; readonly name: string }): Promise<StandardConfirmation> {
  const answer = await transport.send('GET', armPath(standardExemptionSegments(target.scope, target.name)), { 'api-version': STANDARD_ASSIGNMENTS_API_VERSION }, { accept: [404] });
  if (answer.status === 404) return { state: 'gone' };
  if (!isExemptRow(answer.body)) return { state: 'notExempt', effect: effectOf(answer.body) };
  const read = readStandardExemptionRow(answer.body);
  if (!read.ok) return { state: 'unreadable', reason: read.reason };
  if (read.value.id.toLowerCase() !== standardExemptionId(target.scope, target.name).toLowerCase()) {
    return { state: 'unreadable', reason: `ARM answered with another standard assignment (${read.value.id})` };
  }
  return { state: 'present', exemption: read.value };
}
