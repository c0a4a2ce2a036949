// Loaded only by vitest.mutation.config.ts (Stryker). A mutant that breaks a property needs one
// counterexample, not the smallest one: shrinking long strings can outlast Stryker's timeout.
import fc from 'fast-check';

fc.configureGlobal({ endOnFailure: true });

// At most 25 cases a property (test/support/property.ts): otherwise a surviving mutant of the
// detector runs hundreds of generated collections through it, and a rerun takes an hour.
(globalThis as { __propertyRunCap?: number }).__propertyRunCap = 25;
