import type { ProgressEvent } from '../../lib/sweep/engine/sweep-ports.js';
import { duration } from './text-report.js';

const PHASES: readonly ProgressEvent['phase'][] = ['requests', 'assignments', 'exemptions', 'standards', 'resources', 'deleted', 'assessments', 'stuck', 'digest', 'done'];
const BAR_WIDTH = 20;

export interface ProgressOutput {
  write(text: string): unknown;
  readonly columns?: number;
}

/**
 * One line on stderr, redrawn in place: a bar (rows read of what Resource Graph announced, or else the
 * phases done), the phase, pages, subscriptions, exemptions, findings and an ETA when the total is known.
 */
export class ProgressBar {
  private first: { readonly phase: ProgressEvent['phase']; readonly at: number; readonly rows: number } | undefined;
  private drawn = false;

  constructor(private readonly out: ProgressOutput, private readonly now: () => number = Date.now) {}

  update(event: ProgressEvent): void {
    const line = this.line(event);
    const width = this.out.columns ? this.out.columns - 1 : line.length;
    // Carriage return, the line, erase what an earlier, longer line left.
    this.out.write(`\r${line.slice(0, Math.max(0, width))}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the line, so the report starts on a clean one. */
  finish(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }

  line(event: ProgressEvent): string {
    // Every phase that pages through Resource Graph knows its total; the bar and ETA are for the phase.
    const expected = event.expectedRows;
    const fraction = expected !== undefined && expected > 0
      ? Math.min(1, event.phaseRows / expected)
      : Math.max(0, PHASES.indexOf(event.phase)) / (PHASES.length - 1);
    const filled = Math.round(fraction * BAR_WIDTH);
    const rows = expected === undefined ? '' : ` rows ${n(event.phaseRows)}/${n(expected)}`;
    return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${event.phase.padEnd(11)}${rows} pages ${n(event.pages)}  subscriptions ${n(event.subscriptions)}`
      + `  exemptions ${n(event.exemptions)}  findings ${n(event.findings)}  ETA ${this.eta(event.phase, event.phaseRows, expected)}`;
  }

  private eta(phase: ProgressEvent['phase'], rows: number, expected: number | undefined): string {
    if (expected === undefined) {
      this.first = undefined;
      return '—';
    }
    const now = this.now();
    if (!this.first || this.first.phase !== phase) {
      this.first = { phase, at: now, rows };
      return '—';
    }
    const rate = (rows - this.first.rows) / (now - this.first.at);
    if (!(rate > 0) || !Number.isFinite(rate)) return '—';
    return duration(Math.max(0, expected - rows) / rate);
  }
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}
