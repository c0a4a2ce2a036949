// setEnvValues and formatEnvValue: an env file is edited the way dotenv reads it, or not at all.
import { fc, test } from '../support/property.js';
import { parse as parseDotenv } from 'dotenv';
import { describe, expect } from 'vitest';
import { UsageError } from '../../scripts/lib/core/errors.js';
import { formatEnvValue, setEnvValues } from '../../scripts/lib/config/env-file-text.js';

const set = (text: string, updates: Record<string, string>): string => setEnvValues(Buffer.from(text, 'latin1'), updates, '.env').toString('latin1');

describe('formatEnvValue', () => {
  test('a plain value is written bare', () => {
    expect(formatEnvValue('abc-DEF_1.2:3/4@5+6~7=8%9,0')).toBe('abc-DEF_1.2:3/4@5+6~7=8%9,0');
    expect(formatEnvValue('')).toBe('');
  });

  test('spaces, "#" and quotes pick the first quoting that carries them', () => {
    expect(formatEnvValue('a b')).toBe("'a b'");
    expect(formatEnvValue('a#b')).toBe("'a#b'");
    expect(formatEnvValue("it's")).toBe(`"it's"`);
    expect(formatEnvValue('two\nlines')).toBe('"two\\nlines"');
    expect(formatEnvValue('cr\rhere')).toBe('"cr\\rhere"');
    expect(formatEnvValue(`it's "quoted"`)).toBe('`it\'s "quoted"`');
  });

  test('a value no quoting can carry is undefined', () => {
    expect(formatEnvValue('a\'b"c\nd')).toBeUndefined();
    expect(formatEnvValue("a'b`c\"")).toBeUndefined();
    expect(formatEnvValue("it's \\n literally")).toBe('`it\'s \\n literally`');
  });

  test.prop([fc.string({ maxLength: 40 })])('any value reads back through dotenv exactly, or is refused', (value) => {
    const formatted = formatEnvValue(value);
    if (formatted === undefined) {
      expect(() => set('A=1\n', { KEY: value })).toThrow(UsageError);
      return;
    }
    const parsed = parseDotenv(Buffer.from(`KEY=${formatted}\n`));
    if (parsed.KEY !== value) {
      // formatEnvValue's choice is checked by setEnvValues; a value dotenv cannot read back is refused there.
      expect(() => set('A=1\n', { KEY: value })).toThrow(UsageError);
    } else {
      expect(parseDotenv(Buffer.from(set('A=1\n', { KEY: value }), 'latin1')).KEY).toBe(value);
    }
  });
});

describe('setEnvValues', () => {
  test('a key already set gets its new value in place; every other byte stays', () => {
    const before = '# comment\r\nA=1\r\nB=old # note\r\nC="x"\r\n';
    expect(set(before, { B: 'new' })).toBe('# comment\r\nA=1\r\nB=new # note\r\nC="x"\r\n');
  });

  test('a missing key is appended with the file\'s own line ending', () => {
    expect(set('A=1\r\n', { B: '2' })).toBe('A=1\r\nB=2\r\n');
    expect(set('A=1\n', { B: '2' })).toBe('A=1\nB=2\n');
    expect(set('A=1', { B: '2' })).toBe('A=1\nB=2\n');
    expect(set('A=1\rC=3', { B: '2' })).toBe('A=1\rC=3\rB=2\r');
    expect(set('', { B: '2' })).toBe('B=2\n');
    // Mixed endings: the last line's ending is the one used.
    expect(set('A=1\r\nC=3\n', { B: '2' })).toBe('A=1\r\nC=3\nB=2\n');
  });

  test('the assignment dotenv uses (the last) is the one changed', () => {
    expect(set('A=1\nA=2\n', { A: '3' })).toBe('A=1\nA=3\n');
  });

  test('an empty assignment gets the value after its "="', () => {
    expect(set('A=\nB=1\n', { A: 'x y' })).toBe("A='x y'\nB=1\n");
    expect(set('export A = \n', { A: 'v' })).toBe('export A = v\n');
  });

  test('quoted, spaced and exported assignments are replaced whole, quotes included', () => {
    expect(set("A = 'old value'  \n", { A: 'n' })).toBe('A = n  \n');
    expect(set('export A="multi\nline"\nB=2\n', { A: 'one' })).toBe('export A=one\nB=2\n');
  });

  test('several keys at once, some replaced and some appended', () => {
    const out = set('A=1\nB=2\n', { B: 'b', C: 'c', A: 'a' });
    expect(out).toBe('A=a\nB=b\nC=c\n');
  });

  test('keys replaced in file order get their values even when a new value is longer than the old', () => {
    expect(set('A=1\nB=2\n', { A: 'longer-a', B: 'longer-b' })).toBe('A=longer-a\nB=longer-b\n');
  });

  test('several missing keys are appended one a line', () => {
    expect(set('A=1\n', { B: '2', C: '3' })).toBe('A=1\nB=2\nC=3\n');
  });

  test('a file without a final line break keeps it that way when nothing is appended', () => {
    expect(set('A=1', { A: '2' })).toBe('A=2');
    expect(set('A=1\r\nB=2', { B: '3' })).toBe('A=1\r\nB=3');
  });

  test('bytes in another encoding survive; the new value goes in as UTF-8', () => {
    const latin1 = Buffer.from('X=caf\xe9\nA=1\n', 'latin1');
    const out = setEnvValues(latin1, { A: 'é' }, '.env');
    expect(out.subarray(0, 7)).toEqual(Buffer.from('X=caf\xe9\n', 'latin1'));
    expect(parseDotenv(out).A).toBe('é');
  });

  test('a value no quoting can carry is refused, naming the key and the file, and nothing is written', () => {
    expect(() => set('A=1\n', { TOKEN: 'a\'b"c\nd' })).toThrow(/TOKEN cannot be written to \.env/);
    try {
      set('A=1\n', { TOKEN: 'a\'b"c\nd' });
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).code).toBe('unwritable_env_value');
    }
  });

  test('an edit that would change how dotenv reads another key is refused', () => {
    // "B:" at the end, with nothing after the colon, takes the appended line as its value.
    expect(() => set('B:\n', { A: 'multi\nline' })).toThrow(/Updating A in \.env would change how dotenv reads B, so nothing was written/);
    expect(() => set('B:', { A: '' })).toThrow(/would change how dotenv reads/);
  });

  test('that refusal names every key being set and the key read differently, with the code unwritable_env_value', () => {
    let error: unknown;
    try {
      set('B:\n', { A: 'multi\nline', C: 'c' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('unwritable_env_value');
    expect((error as UsageError).message).toBe('Updating A, C in .env would change how dotenv reads B, so nothing was written. Edit that file by hand, or save elsewhere with --env-file PATH.');
  });

  test.prop([fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/), fc.string({ maxLength: 20 }), { maxKeys: 4 }), fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/), fc.string({ maxLength: 30 })])(
    'after any accepted edit dotenv reads the new value, and every other key as before',
    (existing, key, value) => {
      const text = Object.entries(existing)
        .map(([k, v]) => `${k}=${formatEnvValue(v) ?? 'x'}`)
        .join('\n');
      const before = parseDotenv(Buffer.from(text, 'latin1'));
      let out: string;
      try {
        out = set(text, { [key]: value });
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return;
      }
      const after = parseDotenv(Buffer.from(out, 'latin1'));
      expect(after[key]).toBe(value);
      for (const k of Object.keys(before)) if (k !== key) expect(after[k]).toBe(before[k]);
    },
  );
});
