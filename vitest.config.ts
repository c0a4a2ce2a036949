import { defineConfig } from 'vitest/config';
import { unitProjects } from './vitest.unit.config.js';

// Two kinds of tests: unit (a module in process, milliseconds) and e2e (the built CLI as a child
// process against real servers on 127.0.0.1 and a real browser).
export default defineConfig({
  test: {
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/results.json' },
    // Unit and e2e files side by side, three at a time on 2 cores: an e2e test waiting on its
    // child CLI, a server or a browser leaves its core to a unit file. As two groups (unit, then
    // e2e, two workers each) the cores were 15% idle and the run took 10 s longer.
    maxWorkers: 3,
    projects: [
      ...unitProjects,
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          // Each test spawns the built CLI (a Node process loading Newman), beside other files.
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
          // One process per worker for all its files (no test here mocks a module or touches
          // process.env/cwd; each builds its env with cliEnv): 12 s less than a process per file.
          isolate: false,
        },
      },
    ],
  },
});
