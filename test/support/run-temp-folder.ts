// Every test run works in a temporary folder of its own, removed when the run ends: tests make
// hundreds of folders (mkdtemp) and a child process may outlive its test, so cleaning up per test
// would miss some and the system's temporary folder would grow by that much on every run.
// Loaded by the vitest configs, in vitest's main process, before any worker starts: workers and
// the CLI processes they start inherit TMPDIR, which os.tmpdir() reads. A run killed by a signal
// (Stryker stops its workers so) cannot clean up: the next run removes the folders of dead runs,
// named by their process ID.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'dribbble-oauth-run-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

if (!process.env.TEST_RUN_TMPDIR) {
  const parent = tmpdir();
  for (const name of readdirSync(parent)) {
    const pid = Number(/^dribbble-oauth-run-(\d+)-/.exec(name)?.[1]);
    if (pid && !alive(pid)) rmSync(join(parent, name), { recursive: true, force: true });
  }
  const folder = mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
  process.env.TEST_RUN_TMPDIR = process.env.TMPDIR = folder;
  // git never looks above it for a repository: a stray .git in /tmp (one a mutant wrote once) made
  // every test folder part of a work tree git could not read, and every save was refused.
  process.env.GIT_CEILING_DIRECTORIES = folder;
  process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
}
