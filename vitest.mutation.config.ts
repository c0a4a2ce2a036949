import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import unit from './vitest.unit.config.js';

// The unit tests as Stryker runs them (stryker.config.mjs). Without the layer test: it checks the
// folder layout, not the behaviour of a module, and reads Stryker's instrumented copy of scripts/.
// Properties stop at their first counterexample (test/unit/mutation-setup.ts). Every file isolated
// (tried without: most mutants then timed out). Without the scale test either: seconds per
// mutant of the detector, for what the detector's other tests already decide.
export default mergeConfig(
  unit,
  defineConfig({ test: { exclude: [...configDefaults.exclude, 'test/unit/layers.test.ts', 'test/unit/secrets-scale.test.ts'], setupFiles: ['test/unit/mutation-setup.ts'] } }),
);
