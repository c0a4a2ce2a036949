// Every test run works in a temporary folder of its own, removed when the run ends: tests make
// hundreds of folders (mkdtemp) and a child process may outlive its test, so cleaning up per test
// would miss some and the system's temporary folder would grow by that much on every run.
// Loaded by the vitest configs, in vitest's main process, before any worker starts: workers and
// the CLI processes they start inherit TMPDIR, which os.tmpdir() reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.TEST_RUN_TMPDIR) {
  const folder = mkdtempSync(join(tmpdir(), 'dribbble-oauth-run-'));
  process.env.TEST_RUN_TMPDIR = process.env.TMPDIR = folder;
  process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
}
