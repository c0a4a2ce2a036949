// A secret given the recommended ways makes parseFlags print nothing; only a secret in the command
// line itself (visible in npm's logs, "ps", the shell history) gets its one warning line. The e2e
// tests once ran `npm run exchange -- --client-secret -` to see no warning.
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test, vi, type MockInstance } from 'vitest';
import { parseFlags } from '../../scripts/lib/cli/cli-flags.js';

const realStdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
let stderr: MockInstance;
beforeEach(() => {
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  Object.defineProperty(process, 'stdin', realStdin);
  vi.restoreAllMocks();
});
const pipeIn = (text: string) => Object.defineProperty(process, 'stdin', { configurable: true, value: Object.assign(Readable.from([Buffer.from(text)]), { isTTY: false }) });
const warnings = () => stderr.mock.calls.map((c) => String(c[0])).filter((line) => line.startsWith('warning:'));

describe('secret flags and the command-line warning', () => {
  test('--client-secret - (the secret piped on stdin) prints no warning, and the secret is read', async () => {
    pipeIn('Piped-s3cret-0123456789abcdef\n');
    expect(((await parseFlags(['--client-secret', '-'], 'exchange', 'd')) as unknown as Record<string, unknown>).clientSecret).toBe('Piped-s3cret-0123456789abcdef');
    expect(warnings()).toEqual([]);
  });

  test('--code - prints no warning either', async () => {
    pipeIn('Secret-flag-warnings-code-0123\n');
    await parseFlags(['--code', '-'], 'exchange', 'd');
    expect(warnings()).toEqual([]);
  });

  test('--client-secret VALUE prints exactly one warning line', async () => {
    await parseFlags(['--client-secret', 'On-the-command-line-s3cret'], 'exchange', 'd');
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain('--client-secret on the command line is visible');
  });
});
