// Every secret the product names (PRODUCT.md: the client secret, the tokens, the PKCE verifier),
// filled into an environment row typed "default" with a value of no known shape, is reported by
// check-secrets and emptied and typed secret by sanitize. The names are written out here, apart
// from the source's own tables, so that dropping one from those tables fails this test.
import { describe, expect, test } from 'vitest';
import { findSecrets, type DetectContext } from '../../scripts/lib/secrets/postman-secrets.js';
import { sanitizeParsed } from '../../scripts/lib/secrets/postman-sanitize.js';

const PROMISED_SECRETS = ['client_secret', 'access_token', 'refresh_token', 'code_verifier'];
const ctx: DetectContext = { file: 'team.postman_environment.json', own: new Map(), clientIds: new Set() };
const VALUE = 'plain words, no token shape';

describe.each(PROMISED_SECRETS)('an environment row "%s" holding a value', (key) => {
  const environment = { id: 'e', name: 'team', values: [{ key, value: VALUE, type: 'default', enabled: true }] };
  const text = JSON.stringify(environment);

  test('is reported by check-secrets, masked', () => {
    const findings = findSecrets(environment, text, ctx);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.value).not.toContain(VALUE);
  });

  test('left empty, is still typed secret by sanitize, so a value a teammate fills in is hidden in Postman', () => {
    const empty = { id: 'e', name: 'team', values: [{ key, value: '', type: 'default', enabled: true }] };
    const out = JSON.parse(sanitizeParsed(empty, JSON.stringify(empty), 'environment', ctx).text) as { values: Array<{ key: string; type: string }> };
    expect(out.values.find((row) => row.key === key)).toMatchObject({ type: 'secret' });
  });

  test('is emptied and typed secret by sanitize', () => {
    const out = JSON.parse(sanitizeParsed(environment, text, 'environment', ctx).text) as { values: Array<{ key: string; value: string; type: string }> };
    expect(out.values.find((row) => row.key === key)).toMatchObject({ value: '', type: 'secret' });
  });
});
