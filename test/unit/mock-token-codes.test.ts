// The mock's token endpoint refuses a code as Dribbble does (the e2e exchange tests once drove
// each refusal through a CLI run): a code is single use, lives 10 minutes, is bound to its
// redirect URI, and needs the client's own secret. Codes come in both shapes Dribbble has used.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';

const CLIENT_ID = 'codes-client';
const CLIENT_SECRET = 'Codes-s3cret-0123456789abcdef';
const REDIRECT = 'http://127.0.0.1:9/auth/dribbble/callback';
const OTHER_REDIRECT = 'http://127.0.0.1:9/other/callback';
let clock = Date.now();
let mock: MockServer;
let hexMock: MockServer;
const clients = [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT, OTHER_REDIRECT] }];

beforeAll(async () => {
  mock = await startMockServer({ port: 0, clients, now: () => clock });
  hexMock = await startMockServer({ port: 0, clients, codeShape: 'hex' });
});
afterAll(async () => {
  await mock.close();
  await hexMock.close();
});

async function code(server: MockServer, redirectUri = REDIRECT): Promise<string> {
  const url = new URL(`${server.oauthBaseUrl}/authorize`);
  for (const [k, v] of Object.entries({ client_id: CLIENT_ID, redirect_uri: redirectUri, response_type: 'code', scope: 'public' })) url.searchParams.set(k, v);
  const response = await fetch(url, { redirect: 'manual' });
  return new URL(response.headers.get('location')!).searchParams.get('code')!;
}
async function exchange(server: MockServer, fields: { code: string; redirectUri?: string; secret?: string }): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: fields.secret ?? CLIENT_SECRET, code: fields.code, redirect_uri: fields.redirectUri ?? REDIRECT });
  const response = await fetch(`${server.oauthBaseUrl}/token`, { method: 'POST', body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the mock token endpoint', () => {
  test('a code is exchanged once; used again it is invalid_grant', async () => {
    const c = await code(mock);
    const first = await exchange(mock, { code: c });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', scope: 'public' });
    expect(first.body.access_token).toMatch(/^[0-9a-f]{64}$/);
    expect(await exchange(mock, { code: c })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  test('a code older than 10 minutes is invalid_grant', async () => {
    const c = await code(mock);
    clock += 11 * 60 * 1000;
    try {
      expect(await exchange(mock, { code: c })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    } finally {
      clock = Date.now();
    }
  });

  test('a code issued for another redirect URI is invalid_grant', async () => {
    const c = await code(mock, OTHER_REDIRECT);
    expect(await exchange(mock, { code: c })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  test('a wrong client secret is 401 invalid_client', async () => {
    const c = await code(mock);
    expect(await exchange(mock, { code: c, secret: 'Wr0ng-secret-value' })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  test('codes are 43 base64url characters, or 64 hex with codeShape "hex"', async () => {
    expect(await code(mock)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await code(hexMock)).toMatch(/^[0-9a-f]{64}$/);
  });
});
