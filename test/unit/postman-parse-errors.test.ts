// A Postman or Newman file that is not valid JSON: check-secrets and sanitize say so without
// quoting the text around the fault, which may be part of a secret (and lands in CI logs).
import { describe, expect, test } from 'vitest';
import { parsePostmanBytes } from '../../scripts/lib/secrets/postman-sanitize.js';

describe('parsePostmanBytes on broken JSON', () => {
  const secret = 'tok3n-0123456789abcdefABCDEF-xyz';
  test.each([
    ['a trailing comma after the secret', `{"values":[{"key":"access_token","value":"${secret}"},]}`],
    ['the secret unquoted', `{"values":[{"key":"access_token","value":${secret}}]}`],
    ['the file cut inside the secret', `{"values":[{"key":"access_token","value":"${secret.slice(0, 20)}`],
  ])('%s: the problem names JSON and shows no part of the secret', (_name, text) => {
    const result = parsePostmanBytes(Buffer.from(text));
    expect('problem' in result && result.problem).toMatch(/^it is not valid JSON \(/);
    for (let i = 0; i + 4 <= secret.length; i++) expect(JSON.stringify(result)).not.toContain(secret.slice(i, i + 4));
  });
});
