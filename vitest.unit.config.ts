import { defineConfig } from 'vitest/config';

// The unit tests alone: a module in process, milliseconds each. vitest.config.ts lists this file as
// its "unit" project; Stryker runs it on its own (stryker.config.json), so a mutation run never
// starts the e2e tests, which run the built CLI and would only show "no coverage".
export default defineConfig({
  test: {
    name: 'unit',
    include: ['test/unit/**/*.test.ts'],
    pool: 'threads',
    testTimeout: 20_000,
  },
});
