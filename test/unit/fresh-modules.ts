// Setup of the shared-registry unit project (vitest.unit.config.ts): each test file starts with
// fresh instances of our own modules, so module state (the registry of secrets to redact, caches)
// never carries from one file to the next. Packages loaded natively (fast-check and its tables,
// vitest) stay loaded: they are what made per-file isolation slow.
import { vi } from 'vitest';

vi.resetModules();
