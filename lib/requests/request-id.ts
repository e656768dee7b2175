import { createHash, randomBytes } from 'node:crypto';
import type { IntakeCommand } from './intake-command.js';

// Table Storage lists partitions in key order; ids that count down make the newest requests come first.
const MAX_TIME = 0xffffffffff;

export function newRequestId(now: Date): string {
  const countdown = (MAX_TIME - Math.floor(now.getTime() / 1000)).toString(36).padStart(8, '0');
  return `${countdown}${randomBytes(5).toString('hex')}`;
}

/** Requests about the same resources and the same recommendation share this key. */
export function dedupeKeyFor(command: Pick<IntakeCommand, 'resourceIds' | 'selector'>): string {
  const resources = command.resourceIds.map((id) => id.toLowerCase()).sort().join('\n');
  const selector = command.selector.kind === 'assessment'
    ? `assessment:${command.selector.assessmentKey.toLowerCase()}`
    : `assignment:${command.selector.policyAssignmentId.toLowerCase()}:${[...command.selector.policyDefinitionReferenceIds].map((r) => r.toLowerCase()).sort().join(',')}`;
  return createHash('sha256').update(`${resources}\n#${selector}`).digest('hex');
}
