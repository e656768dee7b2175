import { createHash } from 'node:crypto';
import type { ExemptionCategory } from '../requests/model.js';

/** The api-version whose spec is the contract for exemptions (see test/fixtures/azure-specs). */
export const POLICY_EXEMPTIONS_API_VERSION = '2024-12-01-preview';
export const DISPLAY_NAME_MAX = 128;
export const DESCRIPTION_MAX = 512;

export interface ExemptionMetadata {
  readonly requestedBy: string;
  readonly approvedBy: string;
  readonly approvedOn: string;
  readonly ticketRef: string;
  readonly requestId: string;
  readonly managedBy: 'exemption-broker';
}

export interface PolicyExemptionProperties {
  readonly policyAssignmentId: string;
  readonly policyDefinitionReferenceIds?: readonly string[];
  readonly exemptionCategory: ExemptionCategory;
  readonly expiresOn: string;
  readonly displayName: string;
  readonly description: string;
  readonly metadata: ExemptionMetadata;
}

/** Same request, resource and assignment → same name, which makes PUT the idempotency key. */
export function exemptionName(requestId: string, resourceId: string, policyAssignmentId: string): string {
  const digest = createHash('sha256')
    .update(`${requestId}\n${resourceId.toLowerCase()}\n${policyAssignmentId.toLowerCase()}`)
    .digest('hex');
  return `eb-${digest.slice(0, 40)}`;
}

/** Shortens to at most `max` UTF-16 units (ARM's measure) without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
