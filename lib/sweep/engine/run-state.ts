import type { Clock } from '../../core/clock.js';
import { DAY_MS, HOUR_MS } from '../../core/time.js';
import type { RequestPorts } from '../../requests/ports.js';
import type { ExemptionTarget } from '../ports/sweep-arm.js';
import { readExemptionId } from '../sources/exemption-rows.js';
import { readStandardExemptionId } from '../sources/standard-rows.js';
import { AssignmentCatalog } from './assignment-catalog.js';
import type { FindingRecorder } from './finding-recorder.js';
import { ManagedIndex } from '../findings/managed-index.js';
import { ResourceLedger } from '../findings/resource-ledger.js';
import type { SweepScope } from '../model.js';
import type { ProgressEvent, SweepPorts, SweepRules } from './sweep-ports.js';

const MAX_ERRORS = 50;
const WEEKS = 13;

/** What the phases of one run share: the clock reading, the indexes, the counters and the errors. */
export class RunState {
  readonly nowMs: number;
  index = new ManagedIndex();
  readonly ledger = new ResourceLedger();
  readonly catalog: AssignmentCatalog;
  readonly subscriptions = new Set<string>();
  /** Subscriptions whose exemptions could not all be read: nothing there is concluded from absence. */
  readonly failedSubscriptions = new Set<string>();
  readonly errors: string[] = [];
  readonly expiringPerWeek: number[] = new Array<number>(WEEKS).fill(0);
  exemptions = 0;
  assessments = 0;
  pages = 0;
  exemptionsComplete = true;
  private phase: ProgressEvent['phase'] | undefined;
  private phaseRows = 0;
  /** Scopes an evaluation was triggered for this run (`/subscriptions/{id}/resourceGroups/{rg}`, lower case). */
  readonly evaluated = new Set<string>();
  /** Exemptions this run deleted (lower-case ids). */
  readonly deleted = new Set<string>();
  /** `{requestId}|{kind}|{threshold}`: one notice per request, whatever number of exemptions it has. */
  readonly noticesSent = new Map<string, string>();

  constructor(
    readonly ports: SweepPorts,
    readonly rules: SweepRules,
    readonly scope: SweepScope,
    readonly dryRun: boolean,
    readonly recorder: FindingRecorder,
    private readonly onProgress: ((event: ProgressEvent) => void) | undefined,
    clock: Clock,
  ) {
    this.nowMs = clock.now().getTime();
    this.catalog = new AssignmentCatalog(ports.arm, scope);
  }

  get requestPorts(): Pick<RequestPorts, 'clock' | 'store'> {
    return { clock: this.ports.clock, store: this.ports.requests };
  }

  /** An exemption id, re-read with the strict grammar before any ARM call is built from it. */
  targetOf(exemptionId: string): ExemptionTarget | undefined {
    const read = readExemptionId(exemptionId);
    if (read.ok) return read.value;
    this.error(`not acting on ${exemptionId.slice(0, 200)}: ${read.reason}`);
    return undefined;
  }

  /** The same for a standard assignment id. */
  standardTargetOf(exemptionId: string): ExemptionTarget | undefined {
    const read = readStandardExemptionId(exemptionId);
    if (read.ok) return read.value;
    this.error(`not acting on ${exemptionId.slice(0, 200)}: ${read.reason}`);
    return undefined;
  }

  get now(): Date {
    return new Date(this.nowMs);
  }

  get lagMs(): number {
    return this.rules.defenderLagHours * HOUR_MS;
  }

  error(message: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(message.slice(0, 500));
    else if (this.errors.length === MAX_ERRORS) this.errors.push('… more problems were left out');
  }

  /** Counts an expiry into the 90-day chart: week 0 starts at the run's start. */
  chartExpiry(expiresOn: string | undefined): void {
    if (expiresOn === undefined) return;
    const week = Math.floor((Date.parse(expiresOn) - this.nowMs) / (7 * DAY_MS));
    if (week >= 0 && week < WEEKS && Date.parse(expiresOn) - this.nowMs < 91 * DAY_MS) this.expiringPerWeek[week]!++;
  }

  /** Books a page of `rows` rows read in `phase` (for progress only). */
  pageRead(phase: ProgressEvent['phase'], rows: number): void {
    if (phase !== this.phase) {
      this.phase = phase;
      this.phaseRows = 0;
    }
    this.pages++;
    this.phaseRows += rows;
  }

  progress(phase: ProgressEvent['phase'], expectedRows?: number): void {
    if (phase !== this.phase) {
      this.phase = phase;
      this.phaseRows = 0;
    }
    this.onProgress?.({
      phase, pages: this.pages, phaseRows: this.phaseRows, exemptions: this.exemptions, subscriptions: this.subscriptions.size, findings: this.recorder.total,
      ...(expectedRows === undefined ? {} : { expectedRows }),
    });
  }
}
