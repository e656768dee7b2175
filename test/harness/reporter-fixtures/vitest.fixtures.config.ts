// Config for the summary reporter's own test: these fixtures fail on purpose, so the main run's include
// (test/**/*.test.ts) never matches them; only test/harness/plain-summary-reporter.test.ts runs them.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.fixture.ts'],
    pool: 'forks',
    reporters: ['../../plain-summary-reporter.ts'],
  },
});
