// Secrets on standard input (`--client-secret -`, `--code -`, lib/cli/cli-flags.ts readStdin): a
// cap, so `yes | ... --client-secret -` is exit 2 at once with bounded memory (F11).
import { Readable } from 'node:stream';
import { fc, test } from '../support/property.js';
import { describe, expect } from 'vitest';
import { DribbbleOAuthError } from '../../scripts/lib/core/errors.js';
import { STDIN_MAX_BYTES, readStdin } from '../../scripts/lib/cli/cli-flags.js';

/** An endless stdin, like `yes`, that counts what was pulled from it. */
function endless(): Readable & { pulled: number } {
  const line = Buffer.from('y\n'.repeat(8192));
  const stream = new Readable({
    read() {
      stream.pulled += line.length;
      this.push(line);
    },
  }) as Readable & { pulled: number };
  stream.pulled = 0;
  return stream;
}

describe('readStdin', () => {
  test('stops reading an endless stdin at the cap: exit 2 naming the flag (F11)', async () => {
    const input = endless();
    const error = await readStdin('--client-secret', input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DribbbleOAuthError);
    expect((error as DribbbleOAuthError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(/^--client-secret - read more than 65536 bytes from standard input/);
    // Bounded: what was pulled is the cap plus a chunk or two of read-ahead, not gigabytes.
    expect(input.pulled).toBeLessThan(STDIN_MAX_BYTES + 256 * 1024);
    expect(input.destroyed).toBe(true);
  });

  test('a value of exactly the cap is read; one byte more is refused', async () => {
    expect(await readStdin('--code', Readable.from([Buffer.alloc(STDIN_MAX_BYTES, 97)]))).toHaveLength(STDIN_MAX_BYTES);
    await expect(readStdin('--code', Readable.from([Buffer.alloc(STDIN_MAX_BYTES + 1, 97)]))).rejects.toThrow(/more than 65536 bytes/);
  });

  test('a terminal is refused: the value must be piped', async () => {
    await expect(readStdin('--code', Object.assign(Readable.from([]), { isTTY: true }))).rejects.toThrow(/that is a terminal/);
  });

  test.prop([fc.string({ unit: 'grapheme', maxLength: 200 }), fc.constantFrom('', '\n', '\r\n'), fc.integer({ min: 1, max: 7 })])(
    'any value under the cap, in any chunking, reads back without its one final line break',
    async (value, ending, pieces) => {
      const bytes = Buffer.from(value + ending);
      const size = Math.ceil(bytes.length / pieces) || 1;
      const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
      const expected = (value + ending).replace(/\r?\n$/, '');
      expect(await readStdin('--code', Readable.from(chunks))).toBe(expected);
    },
  );
});
