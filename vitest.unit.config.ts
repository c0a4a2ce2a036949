import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import './test/support/run-temp-folder.js';

// The unit tests: a module in process, milliseconds each. vitest.config.ts runs these projects;
// Stryker runs them all isolated (vitest.mutation.config.ts), so a mutation run never starts the
// e2e tests, which run the built CLI and would only show "no coverage".
//
// Most files share one worker's module registry (isolate: false): packages such as fast-check (and
// its grapheme tables) load once per worker instead of once per file, which took the unit run from
// 45 s to under 20 s. test/unit/fresh-modules.ts still gives each file fresh instances of our own
// modules, so no module state (the secrets registered for redaction, say) carries over. A file
// that replaces a module (vi.mock, vi.doMock) or empties the registry itself (vi.resetModules)
// would change what the next file imports: those files, found here by what they contain, run in
// a registry of their own.
const FOLDER = 'test/unit';
const NEEDS_OWN_REGISTRY = /\bvi\.((do)?[mM]ock|resetModules)\(/;
const ROOT = fileURLToPath(new URL('.', import.meta.url));
export const UNIT_TESTS = readdirSync(ROOT + FOLDER).filter((name) => name.endsWith('.test.ts')).map((name) => `${FOLDER}/${name}`);
export const OWN_REGISTRY_TESTS = UNIT_TESTS.filter((file) => NEEDS_OWN_REGISTRY.test(readFileSync(ROOT + file, 'utf8')));

const base = { pool: 'threads', testTimeout: 20_000 } as const;

// npm test runs these beside the e2e project, all under vitest.config.ts's one worker count.
export const unitProjects: TestProjectInlineConfiguration[] = [
  { test: { ...base, name: 'unit', include: UNIT_TESTS.filter((file) => !OWN_REGISTRY_TESTS.includes(file)), isolate: false, setupFiles: ['test/unit/fresh-modules.ts'] } },
  { test: { ...base, name: 'unit-isolated', include: OWN_REGISTRY_TESTS, isolate: true } },
];

/** Every unit test, each file isolated: what Stryker runs (both cores; vitest's default leaves one free). */
export default defineConfig({ test: { ...base, maxWorkers: 2, name: 'unit', include: UNIT_TESTS, isolate: true } });
