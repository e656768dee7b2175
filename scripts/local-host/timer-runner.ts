import functions, { type Timer, type TimerHandler } from '@azure/functions';
import { CronExpressionParser } from 'cron-parser';

const { InvocationContext } = functions;

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface TimerRunnerOptions {
  readonly functionName: string;
  /** NCRONTAB: {second} {minute} {hour} {day} {month} {day-of-week}, UTC. */
  readonly schedule: string;
  readonly handler: TimerHandler;
  readonly log: (line: string) => void;
}

/**
 * The host reads `%NAME%` in a trigger's settings from the app settings, and refuses to start when one
 * is missing; so does the local host.
 */
export function resolveAppSettings(value: string, env: Readonly<Record<string, string | undefined>>): string {
  return value.replace(/%([^%]+)%/g, (_, name: string) => {
    const resolved = env[name]?.trim();
    if (!resolved) throw new Error(`'%${name}%' does not resolve to a value: set the app setting ${name}`);
    return resolved;
  });
}

/** What the Functions host's timer trigger does: fire on the schedule (UTC), with the Timer it passes. */
export class TimerRunner {
  private timeout: NodeJS.Timeout | undefined;
  private last: Date | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: TimerRunnerOptions) {
    if (options.schedule.trim().split(/\s+/).length !== 6) {
      throw new Error(`${options.functionName}: schedule "${options.schedule}" must have six NCRONTAB fields (seconds first)`);
    }
  }

  start(): void {
    this.scheduleNext();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timeout);
    await this.running;
  }

  nextOccurrence(after: Date): Date {
    return CronExpressionParser.parse(this.options.schedule, { tz: 'UTC', currentDate: after }).next().toDate();
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    this.waitUntil(this.nextOccurrence(new Date()));
  }

  /** setTimeout waits at most 2^31-1 ms (about 24.8 days) and fires at once beyond that, so longer waits go in steps. */
  private waitUntil(due: Date): void {
    if (this.stopped) return;
    const delay = due.getTime() - Date.now();
    if (delay > MAX_TIMEOUT_MS) {
      this.timeout = setTimeout(() => this.waitUntil(due), MAX_TIMEOUT_MS);
      return;
    }
    this.timeout = setTimeout(() => {
      this.running = this.fire(due).finally(() => this.scheduleNext());
    }, Math.max(0, delay));
  }

  private async fire(due: Date): Promise<void> {
    const timer: Timer = {
      isPastDue: Date.now() - due.getTime() > 1_000,
      schedule: { adjustForDST: false },
      scheduleStatus: {
        last: (this.last ?? due).toISOString(),
        next: this.nextOccurrence(due).toISOString(),
        lastUpdated: new Date().toISOString(),
      },
    };
    this.last = due;
    const context = new InvocationContext({
      functionName: this.options.functionName,
      logHandler: (level, ...args) => this.options.log(`[${this.options.functionName}] ${level}: ${args.map(String).join(' ')}`),
    });
    try {
      await this.options.handler(timer, context);
    } catch (error) {
      this.options.log(`[${this.options.functionName}] failed: ${String((error as Error)?.message ?? error)}`);
    }
  }
}
