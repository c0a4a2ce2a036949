// Loaded only by vitest.mutation.config.ts (Stryker). A mutant that breaks a property needs one
// counterexample, not the smallest one: shrinking long strings can outlast Stryker's timeout.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import fc from 'fast-check';

fc.configureGlobal({ endOnFailure: true });

// At most 25 cases a property (test/support/property.ts): otherwise a surviving mutant of the
// detector runs hundreds of generated collections through it, and a rerun takes an hour.
(globalThis as { __propertyRunCap?: number }).__propertyRunCap = 25;

// Every temporary folder a test makes goes two levels below the run's own (run-temp-folder.ts), in
// one of this worker's: a mutant of the hook module once wrote a .git/hooks/pre-commit two levels
// above a test's work tree, which was /tmp itself. Now that is inside the run's folder.
const contained = join(tmpdir(), 'dribbble-oauth-mutation', `${process.pid}-${threadId}`);
mkdirSync(contained, { recursive: true });
process.env.TMPDIR = contained;
process.on('exit', () => rmSync(contained, { recursive: true, force: true }));
