import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node';

export interface RunSummary {
  readonly passed: number;
  readonly skipped: number;
  readonly failedTests: number;
  /** Files that failed before any test was collected (import or top-level error). */
  readonly unloadedFiles: number;
  /** Errors of a file or suite outside any test: a beforeAll/afterAll hook that threw, mostly. */
  readonly hookErrors: number;
  readonly unhandledErrors: number;
  /** A run vitest calls failed with none of the above seen; still a failure, never "0 failed". */
  readonly unexplained: number;
  readonly failed: number;
}

/**
 * Ends the run with a plain "N passed, N failed, N skipped" line that any log reader understands. Every
 * reason the run can fail counts: failed tests, files that did not load, hooks that threw, unhandled
 * errors; a run that exits non-zero never reports "0 failed".
 */
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    console.log(`\n${summaryLine(summarize(testModules, unhandledErrors, reason))}`);
  }
}

export function summarize(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): RunSummary {
  let passed = 0, skipped = 0, failedTests = 0, unloadedFiles = 0, hookErrors = 0;
  for (const module of testModules) {
    let tests = 0;
    for (const test of module.children.allTests()) {
      tests++;
      const state = test.result().state;
      if (state === 'passed') passed++;
      else if (state === 'failed') failedTests++;
      else skipped++;
    }
    // A module with errors and no tests never loaded; with tests, its errors came from module-level hooks.
    if (module.errors().length > 0 && tests === 0) unloadedFiles++;
    else hookErrors += module.errors().length;
    for (const suite of module.children.allSuites()) hookErrors += suite.errors().length;
  }
  const seen = failedTests + unloadedFiles + hookErrors + unhandledErrors.length;
  const unexplained = seen === 0 && (reason === 'failed' || testModules.some((m) => m.state() === 'failed')) ? 1 : 0;
  return { passed, skipped, failedTests, unloadedFiles, hookErrors, unhandledErrors: unhandledErrors.length, unexplained, failed: seen + unexplained };
}

export function summaryLine(s: RunSummary): string {
  const line = `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
  const parts = [
    plural(s.failedTests, 'test'),
    plural(s.unloadedFiles, 'file that did not load', 'files that did not load'),
    plural(s.hookErrors, 'hook error'),
    plural(s.unhandledErrors, 'unhandled error'),
    plural(s.unexplained, 'failure vitest reported without a cause'),
  ].filter((part): part is string => part !== undefined);
  // The breakdown only when tests alone do not explain the failed count.
  return s.failed === s.failedTests ? line : `${line} (${parts.join(', ')})`;
}

function plural(n: number, one: string, many = `${one}s`): string | undefined {
  return n === 0 ? undefined : `${n} ${n === 1 ? one : many}`;
}
