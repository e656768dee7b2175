import { createHash, randomBytes } from 'node:crypto';
import { canonicalPolicyAssignmentId } from '../azure/policy-assignment-id.js';
import { canonicalResourceId } from '../azure/resource-id.js';
import type { IntakeCommand } from './intake-command.js';

// Table Storage lists partitions in key order; ids that count down make the newest requests come first.
const MAX_TIME = 0xffffffffff;

export function newRequestId(now: Date): string {
  const countdown = (MAX_TIME - Math.floor(now.getTime() / 1000)).toString(36).padStart(8, '0');
  return `${countdown}${randomBytes(5).toString('hex')}`;
}

/**
 * Requests about the same resources and the same recommendation share this key. Ids are compared in
 * canonical form and, as ARM compares them, without regard to case; a resource named twice counts once.
 */
export function dedupeKeyFor(command: Pick<IntakeCommand, 'resourceIds' | 'selector'>): string {
  const resources = [...new Set(command.resourceIds.map((id) => comparable(canonicalResourceId(id) ?? id)))].sort().join('\n');
  const selector = command.selector.kind === 'assessment'
    ? `assessment:${command.selector.assessmentKey.toLowerCase()}`
    : `assignment:${comparable(canonicalPolicyAssignmentId(command.selector.policyAssignmentId) ?? command.selector.policyAssignmentId)}:${[...command.selector.policyDefinitionReferenceIds].map((r) => r.toLowerCase()).sort().join(',')}`;
  return createHash('sha256').update(`${resources}\n#${selector}`).digest('hex');
}

const comparable = (id: string): string => id.toLowerCase();
