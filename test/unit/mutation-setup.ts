// Loaded only by vitest.mutation.config.ts (Stryker). A mutant that breaks a property needs one
// counterexample, not the smallest one: shrinking long strings can outlast Stryker's timeout.
import fc from 'fast-check';

fc.configureGlobal({ endOnFailure: true });
