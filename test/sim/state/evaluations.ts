// Policy Insights' on-demand evaluation scans: each trigger is recorded and becomes a long-running
// operation whose status the client polls at the Location the trigger answered with.
import { randomUUID } from 'node:crypto';
import type { PolicyInsightsOptions } from '../types.js';

export interface EvaluationOperation {
  id: string;
  subscriptionId: string;
  scope: string;
  polls: number;
}

export class PolicyEvaluations {
  readonly retryAfterSeconds: number;
  readonly pollsUntilDone: number;
  private readonly triggered: Array<{ scope: string; at: string }> = [];
  private readonly operations = new Map<string, EvaluationOperation>();

  constructor(o: PolicyInsightsOptions = {}) {
    this.retryAfterSeconds = o.retryAfterSeconds ?? 0;
    this.pollsUntilDone = o.pollsUntilDone ?? 1;
    if (!Number.isInteger(this.retryAfterSeconds) || this.retryAfterSeconds < 0) throw new Error('retryAfterSeconds must be a non-negative integer');
    if (!Number.isInteger(this.pollsUntilDone) || this.pollsUntilDone < 1) throw new Error('pollsUntilDone must be a positive integer');
  }

  /** Records a scan of `scope` (canonical casing) and returns its operation. */
  trigger(subscriptionId: string, scope: string, at: Date): EvaluationOperation {
    this.triggered.push({ scope, at: at.toISOString() });
    const op = { id: randomUUID(), subscriptionId, scope, polls: 0 };
    this.operations.set(op.id, op);
    return op;
  }

  /** Counts one status poll: 'done' once `pollsUntilDone` polls have been made; undefined for an unknown operation. */
  poll(subscriptionId: string, id: string): 'running' | 'done' | undefined {
    const op = this.operations.get(id.toLowerCase());
    if (!op || op.subscriptionId.toLowerCase() !== subscriptionId.toLowerCase()) return undefined;
    op.polls++;
    return op.polls >= this.pollsUntilDone ? 'done' : 'running';
  }

  evaluations(): Array<{ scope: string; at: string }> {
    return this.triggered.map((e) => ({ ...e }));
  }
}
