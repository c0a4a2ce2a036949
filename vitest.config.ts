import { defineConfig } from 'vitest/config';
import { unitProjects } from './vitest.unit.config.js';

// Two kinds of tests: unit (a module in process, milliseconds) and e2e (the built CLI as a child
// process against real servers on 127.0.0.1 and a real browser).
export default defineConfig({
  test: {
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/results.json' },
    projects: [
      ...unitProjects,
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          // Each test spawns the built CLI (a Node process loading Newman): give them room on 2 cores.
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
          // One process per worker for all its files (no test here mocks a module or touches
          // process.env/cwd; each builds its env with cliEnv): 12 s less than a process per file.
          isolate: false,
          maxWorkers: 2,
          // After the unit project (seconds): vitest runs projects with different maxWorkers in groups.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
