// The standalone collection's Authorize test script, given the bundled mock's real refusals (an
// unknown client, an unregistered redirect URI), with a fake pm: it says which value to check.
// (Was two stock newman runs in e2e/collection-standalone.test.ts.)
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCollection } from '../../scripts/lib/postman/collection-definition.js';
import { allItems } from '../../scripts/lib/postman/collection-types.js';
import { ITEM_AUTHORIZE } from '../../scripts/lib/postman/collection-files.js';
import { MOCK_DEMO_CLIENT } from '../../scripts/lib/mock/mock-defaults.js';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { runScript, scriptOf } from './fake-pm.js';

const authorizeTest = scriptOf(allItems(buildCollection().item).find((i) => i.name === ITEM_AUTHORIZE)!, 'test');
let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
});
afterAll(() => mock.close());

/** The mock's answer to an authorize request with these values, run through the script. */
async function scriptOnAnswer(values: { client_id: string; redirect_uri: string }) {
  const answer = await fetch(`${mock.oauthBaseUrl}/authorize?${new URLSearchParams({ ...values, response_type: 'code', scope: 'public', state: 's' })}`, { redirect: 'manual' });
  const headers: Record<string, string> = {};
  answer.headers.forEach((value, key) => (headers[key] = value));
  return runScript(authorizeTest, { environment: { redirect_uri: values.redirect_uri, state: 's' }, response: { code: answer.status, headers, body: await answer.text() } });
}

describe('Authorize tells apart the refusals of the authorize endpoint', () => {
  test.each([
    ['an unknown client_id', { client_id: 'nobody', redirect_uri: MOCK_DEMO_CLIENT.redirectUri }, 'Check client_id against your application'],
    ['a redirect_uri that is not registered', { client_id: MOCK_DEMO_CLIENT.clientId, redirect_uri: 'http://127.0.0.1:9/elsewhere' }, 'Check redirect_uri: it must be exactly the Callback URL registered'],
  ])('%s', async (_what, values, text) => {
    const run = await scriptOnAnswer(values);
    expect(run.tests).toEqual([expect.objectContaining({ name: 'Authorize: a known client_id and a registered redirect_uri', ok: false })]);
    expect(run.tests[0]!.error).toContain(text);
    expect(run.environment.code).toBeUndefined();
  });
});
