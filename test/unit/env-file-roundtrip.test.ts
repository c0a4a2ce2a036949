// Issue 14 Build 7: any value written to an env file (lib/config/env-file-text.ts setEnvValues)
// reads back the same through dotenv, with every other key unchanged, or is refused with exit 2.
import { fc, test } from '../support/property.js';
import { parse as parseDotenv } from 'dotenv';
import { describe, expect } from 'vitest';
import { DribbbleOAuthError } from '../../scripts/lib/core/errors.js';
import { setEnvValues } from '../../scripts/lib/config/env-file-text.js';

const KEYS = ['DRIBBBLE_ACCESS_TOKEN', 'DRIBBBLE_CLIENT_SECRET', 'OTHER'];
const key = fc.constantFrom(...KEYS);
// Values as users, servers and editors produce them: any text, quotes, #, =, line breaks, spaces.
const value = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('a', ' ', '#', '=', "'", '"', '`', '\\', '\n', '\r', 'n', '$', '{', '}'), maxLength: 20 }),
);
const lineEnding = fc.constantFrom('\n', '\r\n');
// An existing file: assignments (some quoted, some exported, comments), in one line-ending style.
const line = fc.oneof(
  fc.tuple(key, value).map(([k, v]) => `${k}=${v.replace(/[\r\n]/g, '')}`),
  fc.tuple(key, value).map(([k, v]) => `export ${k}="${v.replace(/["\r\n\\]/g, '')}"`),
  fc.string({ maxLength: 20 }).map((c) => `# ${c.replace(/[\r\n]/g, '')}`),
  fc.constant(''),
);
const file = fc.tuple(fc.array(line, { maxLength: 6 }), lineEnding, fc.boolean()).map(([lines, eol, last]) => lines.join(eol) + (last && lines.length ? eol : ''));

describe('setEnvValues', () => {
  test.prop([file, fc.dictionary(key, value, { minKeys: 1, maxKeys: 3 })], { numRuns: 500 })(
    'any value reads back the same through dotenv, other keys unchanged, or is refused with exit 2',
    (before, updates) => {
      let after: Buffer;
      try {
        after = setEnvValues(Buffer.from(before, 'utf8'), updates, '.env');
      } catch (error) {
        expect(error).toBeInstanceOf(DribbbleOAuthError);
        expect((error as DribbbleOAuthError).exitCode).toBe(2);
        return;
      }
      const read = parseDotenv(after);
      const was = parseDotenv(Buffer.from(before, 'utf8'));
      for (const [k, v] of Object.entries(updates)) expect(read[k]).toBe(v);
      for (const k of Object.keys(was)) if (!(k in updates)) expect(read[k]).toBe(was[k]);
    },
  );

  test.prop([fc.string({ unit: 'grapheme', maxLength: 60 }).filter((v) => !/[\r\n]/.test(v) && !(v.includes("'") && v.includes('"') && v.includes('`')))])(
    'a one-line value (not holding all three quote kinds) is never refused: a token or secret always saves',
    (v) => {
      const after = setEnvValues(Buffer.from('A=1\n'), { DRIBBBLE_ACCESS_TOKEN: v }, '.env');
      expect(parseDotenv(after).DRIBBBLE_ACCESS_TOKEN).toBe(v);
      expect(parseDotenv(after).A).toBe('1');
    },
  );
});
