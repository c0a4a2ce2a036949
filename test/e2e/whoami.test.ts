// `whoami`: Newman runs Get authenticated user with the saved token. What it prints and what each
// status means are tested in process (test/unit/authenticated-user.test.ts, user-answer.test.ts);
// here, whole runs against the mock: the printed user, the rate budget kept between runs, and the
// exit codes of a real 429 and a real 401.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MOCK_CLIENT, startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { MOCK_DEMO_CLIENT } from '../../scripts/lib/mock/mock-defaults.js';
import { authorizeAtMock, cliEnv, makeTempDir, runCli } from './helpers.js';

let mock: MockServer;
// The rate-limit window runs on this clock, not the real minute: the test cannot straddle a window.
const clock = Date.UTC(2026, 10, 29, 12, 0, 0);
beforeAll(async () => {
  mock = await startMockServer({ port: 0, rateLimit: 1, now: () => clock });
});
afterAll(() => mock.close());

async function tokenFromMock(): Promise<string> {
  const { code } = await authorizeAtMock(mock.oauthBaseUrl, { clientId: MOCK_DEMO_CLIENT.clientId, redirectUri: MOCK_DEMO_CLIENT.redirectUri });
  const response = await fetch(`${mock.oauthBaseUrl}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: DEMO_MOCK_CLIENT.clientId, client_secret: DEMO_MOCK_CLIENT.clientSecret, code, redirect_uri: MOCK_DEMO_CLIENT.redirectUri }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('whoami', () => {
  it('prints login, name, profile URL and rate-limit headroom; a spent minute stops the next run before sending; 429 elsewhere is exit 4 with the reset time', async () => {
    const dir = await makeTempDir();
    const token = await tokenFromMock();
    // Precedence, as whoami reads it (PRODUCT.md): the token is empty in the process environment
    // and in .env, so it comes from --environment; the API URL comes from .env, over the dead one
    // in --environment. A level read wrongly sends the wrong token (401) or goes nowhere.
    await writeFile(join(dir, '.env'), `DRIBBBLE_ACCESS_TOKEN=\nDRIBBBLE_API_URL=${mock.apiBaseUrl}\n`);
    await writeFile(join(dir, 'env.postman_environment.json'), JSON.stringify({ name: 'e', values: [{ key: 'access_token', value: token }, { key: 'api_origin', value: 'http://127.0.0.1:9' }] }));
    const env = cliEnv(dir, { DRIBBBLE_ACCESS_TOKEN: '', DRIBBBLE_API_URL: '' });
    const args = ['whoami', '--environment', 'env.postman_environment.json'];
    const human = await runCli(args, { cwd: dir, env });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('Signed in as demo-designer (Demo Designer)');
    expect(human.stdout).toContain('Profile: https://dribbble.com/demo-designer');
    expect(human.stdout).toContain('Rate limit: 0 of 1 requests left this minute (resets at 12:01:00 UTC)');
    expect(human.stdout + human.stderr).not.toContain(token);

    // The budget knows the minute is spent: it stops before sending, past --timeout (or waits without it).
    const sent = mock.requests.length;
    const budgeted = await runCli([...args, '--timeout', '1000'], { cwd: dir, env });
    expect(budgeted.code).toBe(4);
    expect(budgeted.stderr).toContain('error [rate_budget_wait]');
    expect(mock.requests.length).toBe(sent);

    // Another machine, without this budget, earns the 429: exit 4 with the server's reset time.
    const limited = await runCli(args, { cwd: dir, env: { ...env, XDG_STATE_HOME: join(dir, 'other-machine') } });
    expect(limited.code).toBe(4);
    expect(limited.stderr).toContain('Try again at 12:01:00 UTC');
    expect(limited.stderr).toContain('error [rate_limited]');
    expect(limited.stderr).toMatch(/\(X-RateLimit-Reset\)/);
  });

  it('a revoked token, at an API URL with a trailing slash, reaches /v2/user and is exit 3 saying how to get a new one', async () => {
    const dir = await makeTempDir();
    const invalid = await runCli(['whoami', '--api-url', `${mock.apiBaseUrl}/`], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_ACCESS_TOKEN: 'revoked-token-value-0000000000' }) });
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toContain(`${mock.apiBaseUrl}/user answered 401 ("Bad credentials."): the access token`);
    expect(invalid.stderr).toContain('missing, invalid or revoked');
    expect(invalid.stderr).toContain('npm run authorize');
    expect(invalid.stderr).not.toContain('revoked-token-value-0000000000');
  });
});
