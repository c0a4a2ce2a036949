// Values written into an env file read back exactly through dotenv, whatever they hold, or are
// refused (exit 2) when no dotenv quoting can carry them. (Moved from the e2e suite: in process.)
import { parse as parseDotenv } from 'dotenv';
import { describe, expect, test } from 'vitest';
import { setEnvValues } from '../../scripts/lib/config/env-file-text.js';

describe('values read back exactly through dotenv', () => {
  const values = [
    'plain',
    'with space',
    'has#hash',
    ' leading and trailing ',
    "single'quote",
    'double"quote',
    'back\\slash\\n-not-a-newline',
    'both \'single\' and "double"',
    'all \' " ` three',
    'multi\nline',
    'ünïcödé',
    'a"b"#c\\d\'e\'=+/',
  ];
  test.each(values)('%j', (value) => {
    for (const before of ['', 'KEY=old # note\nOTHER=1\n', 'export KEY="old"\r\n']) {
      let written: Buffer;
      try {
        written = setEnvValues(Buffer.from(before), { KEY: value }, '.env');
      } catch (error) {
        // Refused (exit 2) is allowed only when no dotenv quoting can carry the value.
        expect((error as { exitCode?: number }).exitCode).toBe(2);
        expect(value).toMatch(/'[^]*"[^]*`|\n[^]*"|"[^]*\n/);
        continue;
      }
      expect(parseDotenv(written).KEY).toBe(value);
      if (before.includes('OTHER')) expect(parseDotenv(written).OTHER).toBe('1');
    }
  });
});
