// Edges of sanitize that mutation testing showed untested: how renamed keys are numbered, that a
// value fixed next to a renamed key stays fixed, how many passes sanitize makes, which literal of
// a place goes first, what is left alone, and how far the .json pre-filter looks.
import { describe, expect, test } from 'vitest';
import { detectContext, sanitizeValue } from '../support/sanitize.js';
import { UsageError } from '../../scripts/lib/core/errors.js';
import { parsePostmanBytes, readPostmanFile, sanitizeIncompleteError, sanitizeParsed } from '../../scripts/lib/secrets/postman-sanitize.js';
import type { Finding } from '../../scripts/lib/secrets/postman-secrets.js';


const report = (executions: unknown) => ({ collection: { info: { name: 'c' }, item: [] }, run: { executions } });
const executionsOf = (out: unknown) => (out as { run: { executions: Record<string, unknown> } }).run.executions;
const R = '<redacted>';
/** Token-shaped: 64 hex (T) and 43 base64url (S, U), the shapes the detector finds anywhere. */
const T = (i: number) => i.toString(16).padStart(4, '0').repeat(16);
const S = 'S'.repeat(43);
const U = 'U'.repeat(43);
/** An own secret that is part of the placeholder it is replaced by, so its removal can re-form it: `red` × n, the secret, `acted` × n. */
const SELF = 'redacted';
const layered = (n: number) => `${'red'.repeat(n)}${SELF}${'acted'.repeat(n)}`;
const selfCtx = () => detectContext([[SELF, 'DRIBBBLE_CLIENT_SECRET']]);

describe('sanitize: a key renamed onto a name its object has gets the lowest free number', () => {
  // Keys of one object, in their order; renames go by literal length, longer first, then in the
  // order the keys come. Each key keeps its value (its index here).
  test.each<[string, string[], string[]]>([
    ['past a number already taken', [R, `${R} (2)`, T(1)], [R, `${R} (2)`, `${R} (3)`]],
    ['counting on from the last one given', [R, T(1), T(2), T(3)], [R, `${R} (2)`, `${R} (3)`, `${R} (4)`]],
    // T1 takes "<redacted> T2 (2)", which its own T2 renames away; T3 then takes the freed (2).
    ['a number freed by a key renamed again', [`${T(1)} ${T(2)}`, `${T(3)} ${T(2)}`, `${R} ${T(2)}`], [`${R} ${R} (2)`, `${R} ${R} (2) (2)`, `${R} ${R}`]],
    // "(12)" is freed after eleven keys took (2) to (11) and (13).
    [
      'a two-digit number freed',
      [`${R} ${S} (12)`, `${U} ${S}`, ...Array.from({ length: 11 }, (_, i) => `${T(i + 1)} ${S}`), `${R} ${S}`],
      [`${R} ${R} (12)`, `${R} ${R} (12) (2)`, ...Array.from({ length: 10 }, (_, i) => `${R} ${R} (${i + 2})`), `${R} ${R} (13)`, `${R} ${R}`],
    ],
    // A key that merely has "(5)" in its name frees nothing below it: U's key still gets (2).
    ['not from a number no rename gave', [`${R} ${S} (5)`, `${U} ${S}`, `${R} ${S}`], [`${R} ${R} (5)`, `${R} ${R} (2)`, `${R} ${R}`]],
    // "(1)" in the middle of a name is not a number of the name before it.
    ['not from "(n)" inside a name', [R, T(1), `${R} (1) ${T(2)}`, T(3)], [R, `${R} (2)`, `${R} (1) ${R}`, `${R} (3)`]],
  ])('%s', (_name, keys, expected) => {
    const { out } = sanitizeValue(report(Object.fromEntries(keys.map((k, i) => [k, i]))));
    expect(Object.entries(executionsOf(out))).toEqual(expected.map((k, i) => [k, i]));
  });
});

describe('sanitize: the passes', () => {
  test.each([0, 1, 3, 15])('a secret its own removal re-forms %i times is removed again, pass after pass', (n) => {
    const { findings, out } = sanitizeValue({ name: 'e', values: [{ key: 'note', value: layered(n) }] }, selfCtx());
    expect(findings).toBe(1);
    expect((out as { values: Array<{ value: string }> }).values[0]!.value).toBe('');
  });

  // Four passes once ended here and wrote the file with the secret still in it.
  // Four passes once ended here, and sanitize wrote the file with the secret still in it.
  test('a secret re-formed more often than the bound of passes: the result says how many it still holds (the command then writes nothing)', () => {
    expect(sanitizeValue({ name: 'e', values: [{ key: 'note', value: layered(15) }] }, selfCtx()).left).toBe(0);
    expect(sanitizeValue({ name: 'e', values: [{ key: 'note', value: layered(16) }] }, selfCtx()).left).toBe(1);
  });

  test('the refusal names the file, how many are left and the places as they are in the file (a few), and says nothing was written', () => {
    const file = report({ [T(1)]: { note: layered(16) } });
    const read = parsePostmanBytes(Buffer.from(JSON.stringify(file)));
    if ('problem' in read) throw new Error(read.problem);
    const { findings, left } = sanitizeParsed(read.parsed, read.text, read.kind, selfCtx());
    const error = sanitizeIncompleteError('newman/run.json', findings, left);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.code).toBe('sanitize_incomplete');
    // The token key as the file has it (masked), not the <redacted> of the copy sanitize worked on.
    expect(error.message).toMatch(/^newman\/run\.json still held 1 secret after 16 passes of sanitize: removing one re-forms another \(from run\.executions\["0001…0001"\], run\.executions\["0001…0001"\]\.note\)\. Nothing was written\. Remove them by hand, then run sanitize again\.$/);
    const places = (n: number) => Array.from({ length: n }, (_, i) => ({ where: `values["k${i}"]` })) as Finding[];
    const five = 'values["k0"], values["k1"], values["k2"], values["k3"], values["k4"]';
    expect(sanitizeIncompleteError('e.json', places(7), 2).message).toContain(`still held 2 secrets after 16 passes of sanitize: removing one re-forms another (from ${five} and 2 more).`);
    expect(sanitizeIncompleteError('e.json', places(5), 2).message).toContain(`(from ${five}).`);
  });

  test('a later pass can still change an object whose keys an earlier pass renamed: its values and its keys', () => {
    // Pass 1: T1's key becomes <redacted>, the note "redacted"; pass 2: both lose "redacted".
    const { out } = sanitizeValue(report({ [T(1)]: 1, note: layered(1) }), selfCtx());
    expect(executionsOf(out)).toEqual({ '<>': 1, note: '' });
  });

  test.each([
    ['after the key', { [layered(4)]: 1, client_secret: 'filled-secret-1' }],
    ['before the key', { client_secret: 'filled-secret-1', [layered(4)]: 1 }],
  ])('a value set in an object whose keys are renamed in the same pass stays set, %s, in every pass', (_name, executions) => {
    // The key is renamed in each of five passes; the secret field must be emptied in the first.
    const { out } = sanitizeValue(report(executions), selfCtx());
    expect(executionsOf(out)).toEqual({ client_secret: '{{client_secret}}', '': 1 });
  });
});

describe('sanitize: of two literals where one holds the other, the longer goes first', () => {
  const short = 'my-secret-value-0123';
  const long = `${short}-and-more-of-it`;
  const bothOrders: Array<[string, Array<[string, string]>]> = [
    ['the shorter known first', [[short, 'DRIBBBLE_CLIENT_SECRET'], [long, 'DRIBBBLE_ACCESS_TOKEN']]],
    ['the longer known first', [[long, 'DRIBBBLE_ACCESS_TOKEN'], [short, 'DRIBBBLE_CLIENT_SECRET']]],
  ];

  test.each(bothOrders)('in a value, %s', (_name, own) => {
    const { out } = sanitizeValue({ name: 'e', values: [{ key: 'note', value: `${long} ${short}` }] }, detectContext(own));
    expect((out as { values: Array<{ value: string }> }).values[0]!.value).toBe(`${R} ${R}`);
  });

  test.each(bothOrders)('in a key, %s', (_name, own) => {
    const { out } = sanitizeValue(report({ [`${long} ${short}`]: 1 }), detectContext(own));
    expect(executionsOf(out)).toEqual({ [`${R} ${R}`]: 1 });
  });
});

describe('sanitize: what is left as it is', () => {
  test('a list under a secret key is kept as it is, not read as a recorded body', () => {
    const { out } = sanitizeValue(report({ [T(1)]: [1000, 200, 'x'] }));
    expect(executionsOf(out)).toEqual({ [R]: [1000, 200, 'x'] });
  });

  test('a row\'s own type is kept, an empty one too, unless its key is a secret of ours', () => {
    const { out } = sanitizeValue({ name: 'e', values: [{ key: 'note', value: 'x', type: '' }, { key: 'mine', value: '', type: 'secret' }, { key: 'access_token', value: '', type: 'text' }] });
    const types = Object.fromEntries((out as { values: Array<{ key: string; type: string }> }).values.map((v) => [v.key, v.type]));
    expect(types).toEqual({ note: '', mine: 'secret', access_token: 'secret' });
  });
});

describe('readPostmanFile: the .json pre-filter', () => {
  const collection = JSON.stringify({ info: { name: 'c' }, item: [] });
  test.each([
    [4095, { postman: true, kind: 'collection' }],
    [4096, { postman: false }],
  ])('looks no further than the first 4 KiB of a .json file of any name: a collection after %i bytes of white space', (spaces, expected) => {
    expect(readPostmanFile('exports/shared.json', Buffer.from(`${' '.repeat(spaces)}${collection}`))).toMatchObject(expected);
  });
});
