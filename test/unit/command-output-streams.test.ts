// How commands talk (lib/cli/command-output.ts): a stdout that cannot be written (EPIPE: the reader
// left; ENOSPC: `>/dev/full`; EIO) stops the output, never the work: no stack, no exit 1, the exit
// code stays what the work says (F13: `exchange --json >/dev/full` ended in an ENOSPC stack).
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
// Loaded once here, with everything it imports; each test below gets a fresh instance of this one
// module (the query makes it another module id) over the same dependencies. A reset of the whole
// registry instead would load the error and terminal tables again inside each test, and mutation
// testing would then count their module-level mutants as covered by these tests alone.
import * as firstInstance from '../../scripts/lib/cli/command-output.js';

type Module = typeof firstInstance;
let output: Module;
let instances = 0;
let previous: Module = firstInstance;
let stderr: string[];

const failure = (code: string) => Object.assign(new Error(`${code}: write failed`), { code });

beforeEach(async () => {
  // The module remembers which streams failed: a fresh instance for each test.
  instances += 1;
  output = (await import(/* @vite-ignore */ `../../scripts/lib/cli/command-output.js?instance=${instances}`)) as Module;
  expect(output).not.toBe(previous);
  previous = output;
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation(((text: string) => {
    stderr.push(text);
    return true;
  }) as typeof process.stderr.write);
  process.exitCode = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  for (const stream of [process.stdout, process.stderr]) stream.removeAllListeners('error');
});

describe('the stream guard', () => {
  test('is installed once, on stdout and stderr, however many lines are written', () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const before = [process.stdout.listenerCount('error'), process.stderr.listenerCount('error')];
    for (let i = 0; i < 3; i++) {
      output.writeStdout('x\n');
      output.writeStderr('y\n');
    }
    expect([process.stdout.listenerCount('error'), process.stderr.listenerCount('error')]).toEqual([before[0]! + 1, before[1]! + 1]);
  });

  test('an error event on stderr is absorbed too, and later stderr output dropped', () => {
    output.writeStderr('first\n');
    expect(() => process.stderr.emit('error', failure('EIO'))).not.toThrow();
    output.writeStderr('second\n');
    expect(stderr).toEqual(['first\n']);
  });
});

describe('a stdout that fails', () => {
  test.each(['ENOSPC', 'EIO', 'EPIPE'])('with %s thrown on write: the command finishes with its own exit code, output dropped', async (code) => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => {
      throw failure(code);
    });
    let finished = false;
    await output.runCommand(true, async () => {
      finished = true;
      return { saved_to: ['.env'] };
    });
    expect(finished).toBe(true);
    expect(process.exitCode).toBe(0);
    output.writeStdout('more\n');
    expect(stdout).toHaveBeenCalledTimes(1); // dropped after the first failure
    const warnings = stderr.filter((l) => l.startsWith('warning: could not write to standard output'));
    expect(warnings).toHaveLength(code === 'EPIPE' ? 0 : 1); // a reader that left is no news
    expect(stderr.join('')).not.toMatch(/internal_error|\n\s+at /);
  });

  test.each(['ENOSPC', 'EPIPE'])('with %s emitted as an error event: no throw, later output dropped', (code) => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    output.writeStdout('first\n');
    expect(() => process.stdout.emit('error', failure(code))).not.toThrow();
    output.writeStdout('second\n');
    expect(stdout).toHaveBeenCalledTimes(1);
  });

  test('a stdout failing twice (thrown, then an error event) warns once', () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => {
      throw failure('ENOSPC');
    });
    output.writeStdout('first\n');
    process.stdout.emit('error', failure('EIO'));
    expect(stderr).toEqual(['warning: could not write to standard output (ENOSPC); the rest of the output was dropped.\n']);
  });

  test('a failure without an errno code is named by its message', () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => {
      throw new Error('write after end');
    });
    output.writeStdout('first\n');
    expect(stderr).toEqual(['warning: could not write to standard output (write after end); the rest of the output was dropped.\n']);
  });

  test('a failed command still reports its own exit code when stdout is full', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => {
      throw failure('ENOSPC');
    });
    const { UsageError } = await import('../../scripts/lib/core/errors.js');
    await output.runCommand(true, async () => {
      throw new UsageError('x', 'a mistake');
    });
    expect(process.exitCode).toBe(2);
    expect(stderr.join('')).toContain('error [x]: a mistake');
  });
});
