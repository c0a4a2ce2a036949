// What check-secrets says (lib/secrets/scan-report.ts): one line per finding, the warning for what
// is already committed, and the refusal (exit 2) for what a commit adds, in words that count right.
import { describe, expect, test } from 'vitest';
import { UsageError } from '../../scripts/lib/core/errors.js';
import type { FileFinding } from '../../scripts/lib/secrets/repository-scan.js';
import { secretsFoundError, showFinding, warningText } from '../../scripts/lib/secrets/scan-report.js';

const finding = (file: string, fingerprint: string): FileFinding => ({ file, where: 'values["client_secret"]', value: 'abcd…wxyz', why: 'a filled value', rule: 'secret-variable', fingerprint });
const one = [finding('team.postman_environment.json', 'fp-1')];
const two = [...one, finding('old.postman_collection.json', 'fp-2')];

describe('warningText', () => {
  test('nothing already committed: no warning at all', () => {
    expect(warningText([])).toBeUndefined();
  });

  test('one finding: singular words, then its line', () => {
    expect(warningText(one)).toBe(`Warning: 1 finding already committed (not added by this commit); remove it when you can, or accept in .secretsignore:\n${showFinding(one[0]!)}`);
  });

  test('two findings: plural words, one line each', () => {
    expect(warningText(two)).toBe(`Warning: 2 findings already committed (not added by this commit); remove them when you can, or accept in .secretsignore:\n${two.map(showFinding).join('\n')}`);
  });
});

describe('secretsFoundError', () => {
  test('nothing blocking: no refusal, whatever the warnings', () => {
    expect(secretsFoundError({ blocking: [], warnings: two }, false)).toBeUndefined();
  });

  test('one secret a commit adds: exit 2 (secrets_found), singular, names the commit, the remedies and the allow-list', () => {
    const error = secretsFoundError({ blocking: one, warnings: two }, false)!;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.code).toBe('secrets_found');
    expect(error.message).toBe(
      `1 secret in what this commit adds:\n${showFinding(one[0]!)}\nRemove them before committing: "npm run sanitize -- FILE" empties the secrets of a Postman or Newman file; "git rm --cached FILE" untracks an env file or a report. A finding that is not a secret: add its [fingerprint] as a line of .secretsignore.`,
    );
    expect(error.findings).toBe(one);
    expect(error.warnings).toBe(two);
  });

  test('with --all, two secrets: plural, in files git tracks', () => {
    const error = secretsFoundError({ blocking: two, warnings: [] }, true)!;
    expect(error.message.split('\n').slice(0, 3)).toEqual(['2 secrets in files git tracks:', ...two.map(showFinding)]);
  });
});
