// What the token endpoint's answer means (validateTokenResponse in lib/oauth/token-exchange.ts),
// for each kind of answer the e2e tests once sent from a stub server one CLI run each: every OAuth
// error with its meaning (exit 3), redirects (exit 5, only the origin named), answers that are no
// token (exit 5), token types, and the echo of a failed request with its credentials masked.
import { describe, expect, test } from 'vitest';
import { OAUTH_ERROR_MEANINGS } from '../../scripts/lib/dribbble/oauth-error-meanings.js';
import { validateTokenResponse, type ExchangeInput } from '../../scripts/lib/oauth/token-exchange.js';
import { refusalOf as failure } from '../support/refusals.js';

const CLIENT_SECRET = 'Endpoint-answers-s3cret-0123456789abcd';
const CODE = 'Endpoint-answers-code-0123456789abcdefgh';
const SENT_REDIRECT = 'http://127.0.0.1:9/auth/dribbble/callback';
const input = (more: Partial<ExchangeInput> = {}): ExchangeInput => ({
  config: {
    values: { client_id: 'answers-client', client_secret: CLIENT_SECRET, redirect_uri: SENT_REDIRECT, oauth_origin: 'https://dribbble.com', scope: 'public' },
    sources: { redirect_uri: { kind: 'flag', flag: 'redirect-uri' }, client_id: { kind: 'flag', flag: 'client-id' }, client_secret: { kind: 'process-env', name: 'DRIBBBLE_CLIENT_SECRET' } },
    envFilePath: '/nowhere/.env',
    envFileExists: false,
  },
  code: CODE,
  timeoutMs: 1000,
  ...more,
});
const TOKEN_URL = 'https://dribbble.com/oauth/token';
// Distinctive: a token read from an answer is registered for redaction in this worker's shared registry.
const TOKEN = 'Endpoint-answers-t0ken-0123456789abcdefgh';
const json = { 'content-type': 'application/json' };
const classify = (status: number, body: string, headers: Record<string, string> = json, more: Partial<ExchangeInput> = {}) => validateTokenResponse({ status, headers, body }, input(more), TOKEN_URL);

describe('an OAuth error answer is a refusal, exit 3', () => {
  test.each(Object.keys(OAUTH_ERROR_MEANINGS))('%s: its code, the server\'s description and its meaning', (error) => {
    const refused = failure(() => classify(error === 'invalid_client' ? 401 : 400, JSON.stringify({ error, error_description: `description of ${error}` })));
    expect(refused.exitCode).toBe(3);
    expect(refused.code).toBe(error);
    expect(refused.message).toContain(`description of ${error}`);
    expect(refused.message).toContain(OAUTH_ERROR_MEANINGS[error]!);
  });

  test('invalid_grant says to authorize again and that codes expire after about 10 minutes', () => {
    const refused = failure(() => classify(400, JSON.stringify({ error: 'invalid_grant' })));
    expect(refused.message).toContain('Authorize again');
    expect(refused.message).toMatch(/expired \(codes last about 10 minutes\)/);
  });

  test('invalid_grant after the browser came back to another redirect URI names both, and where the sent one came from', () => {
    const other = 'http://127.0.0.1:9/other/callback';
    const refused = failure(() => classify(400, JSON.stringify({ error: 'invalid_grant' }), json, { authorizedWith: other }));
    expect(refused.message).toContain(`the browser came back to ${other}`);
    expect(refused.message).toContain(`the token request sent ${SENT_REDIRECT} (from --redirect-uri)`);
    const same = failure(() => classify(400, JSON.stringify({ error: 'invalid_grant' }), json, { authorizedWith: SENT_REDIRECT }));
    expect(same.message).toContain(`The redirect URI sent was ${SENT_REDIRECT} (from --redirect-uri)`);
  });

  test('invalid_client says where to find the ID and secret, and where each came from, never the secret', () => {
    const refused = failure(() => classify(401, JSON.stringify({ error: 'invalid_client' })));
    expect(refused.message).toContain('Account settings > Applications');
    expect(refused.message).toContain('Client ID sent: answers-client (from --client-id); client secret from DRIBBBLE_CLIENT_SECRET (process environment)');
    expect(refused.message).not.toContain(CLIENT_SECRET);
  });
});

describe('the token request never follows a redirect', () => {
  test.each([301, 302, 303, 307, 308])('%i is exit 5 (redirect_refused) naming the status and only the origin of Location', (status) => {
    const refused = failure(() => classify(status, '', { location: `https://evil.example:8443/steal?secret=in-query-${status}` }));
    expect(refused.exitCode).toBe(5);
    expect(refused.code).toBe('redirect_refused');
    expect(refused.message).toContain(`answered ${status}, a redirect to https://evil.example:8443.`);
    expect(refused.message).not.toContain('in-query');
  });
});

describe('an answer that is no token is exit 5 with the status and the first line of the body', () => {
  test.each([
    ['an HTML page', 'text/html', '<!doctype html>\n<html><body>Sign in</body></html>', 'not_json', '<!doctype html>'],
    ['a body without access_token', 'application/json', '{"token_type":"bearer"}', 'no_access_token', '{"token_type":"bearer"}'],
  ])('%s', (_what, type, body, code, line) => {
    const refused = failure(() => classify(200, body, { 'content-type': type }));
    expect(refused.exitCode).toBe(5);
    expect(refused.code).toBe(code);
    expect(refused.message).toContain('answered 200');
    expect(refused.message).toContain(line);
  });
});

describe('token_type', () => {
  test.each(['mac', 'MAC', 'DPoP', ''])('%j is refused, exit 5 (unsupported_token_type)', (tokenType) => {
    const refused = failure(() => classify(200, JSON.stringify({ access_token: TOKEN, token_type: tokenType, scope: 'public' })));
    expect(refused.exitCode).toBe(5);
    expect(refused.code).toBe('unsupported_token_type');
  });

  test.each(['Bearer', 'bearer', 'BEARER'])('%j is a Bearer token in any case, as old servers send "bearer"', (tokenType) => {
    expect(classify(200, JSON.stringify({ access_token: TOKEN, token_type: tokenType, scope: 'public' }))).toMatchObject({ accessToken: TOKEN, tokenType, scope: 'public' });
  });
});

describe('the echo of a failed request', () => {
  test('a 500 echoing the form sent is exit 4, and the echo shows the client secret and the code masked', () => {
    const form = `grant_type=authorization_code&client_id=answers-client&client_secret=${CLIENT_SECRET}&code=${CODE}`;
    const refused = failure(() => classify(500, `boom: ${form}`, { 'content-type': 'text/plain' }));
    expect(refused.exitCode).toBe(4);
    expect(refused.message).toContain(`boom: grant_type=authorization_code&client_id=answers-client&client_secret=${CLIENT_SECRET.slice(0, 4)}…${CLIENT_SECRET.slice(-4)}&code=${CODE.slice(0, 4)}…`);
    expect(refused.message).not.toContain(CLIENT_SECRET);
    expect(refused.message).not.toContain(CODE);
  });
});
