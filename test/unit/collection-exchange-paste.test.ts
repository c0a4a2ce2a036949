// Exchange code for token's pre-request script, with a fake pm: a pasted callback URL gives up its
// code whatever the code's shape (was a table of Newman runs in e2e/collection-newman.test.ts;
// one real Newman run with a pasted URL stays there).
import { describe, expect, test } from 'vitest';
import { buildCollection } from '../../scripts/lib/postman/collection-definition.js';
import { allItems } from '../../scripts/lib/postman/collection-types.js';
import { ITEM_EXCHANGE } from '../../scripts/lib/postman/collection-files.js';
import { runScript, scriptOf } from './fake-pm.js';

const exchange = allItems(buildCollection().item).find((i) => i.name === ITEM_EXCHANGE)!;
const REDIRECT = 'http://127.0.0.1:9/auth/dribbble/callback';

describe('a pasted callback URL in the code variable', () => {
  test.each([
    ['64-hex', 'a'.repeat(32) + '0123456789abcdef0123456789abcdef'],
    ['43-character base64url', 'C47cV7A_uf6-yyXYCFEPerTp3IfmSO-3A-MkjGaNCwg'],
  ])('a %s code is taken out of it and sent', (_shape, code) => {
    const run = runScript(scriptOf(exchange, 'prerequest'), {
      environment: { code: `${REDIRECT}?code=${code}&state=s123`, state: 's123' },
      form: [{ key: 'code', value: '{{code}}' }, { key: 'code_verifier', value: '{{code_verifier}}', disabled: true }],
    });
    expect(run.skipped).toBe(false);
    expect(run.local.code).toBe(code);
  });
});
