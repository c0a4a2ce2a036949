// `whoami`: Newman runs Get authenticated user with the saved token.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MOCK_CLIENT, startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { MOCK_DEMO_CLIENT } from '../../scripts/lib/mock/mock-defaults.js';
import { authorizeAtMock, cliEnv, makeTempDir, runCli } from './helpers.js';

let mock: MockServer;
// The rate-limit window runs on this clock, not the real minute: the test cannot straddle a window.
let clock = Date.UTC(2026, 10, 29, 12, 0, 0);
beforeAll(async () => {
  mock = await startMockServer({ port: 0, rateLimit: 2, now: () => clock });
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
  it('prints login, name, profile URL and rate-limit headroom; --json prints the user; 429 past the limit is exit 4 with the reset time', async () => {
    const dir = await makeTempDir();
    const token = await tokenFromMock();
    await writeFile(join(dir, '.env'), `DRIBBBLE_ACCESS_TOKEN=${token}\nDRIBBBLE_API_URL=${mock.apiBaseUrl}\n`);
    const human = await runCli(['whoami'], { cwd: dir, env: cliEnv(dir) });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('Signed in as demo-designer (Demo Designer)');
    expect(human.stdout).toContain('Profile: https://dribbble.com/demo-designer');
    expect(human.stdout).toContain('Rate limit: 1 of 2 requests left this minute (resets at 12:01:00 UTC)');
    expect(human.stdout).not.toContain(token);

    const json = await runCli(['whoami', '--json'], { cwd: dir, env: cliEnv(dir) });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.user).toMatchObject({ login: 'demo-designer', html_url: 'https://dribbble.com/demo-designer' });
    expect(parsed.rate_limit).toMatchObject({ limit: 2, remaining: 0 });

    // The budget knows the minute is spent: it stops before sending, past --timeout (or waits without it).
    const sent = mock.requests.length;
    const budgeted = await runCli(['whoami', '--timeout', '1000'], { cwd: dir, env: cliEnv(dir) });
    expect(budgeted.code).toBe(4);
    expect(budgeted.stderr).toContain('error [rate_budget_wait]');
    expect(mock.requests.length).toBe(sent);

    // Another machine, without this budget, earns the 429: exit 4 with the server's reset time.
    const elsewhere = { ...cliEnv(dir), XDG_STATE_HOME: join(dir, 'other-machine') };
    const limited = await runCli(['whoami'], { cwd: dir, env: elsewhere });
    expect(limited.code).toBe(4);
    expect(limited.stderr).toContain('Try again at 12:01:00 UTC');
    expect(limited.stderr).toContain('error [rate_limited]');
    expect(limited.stderr).toMatch(/\(X-RateLimit-Reset\)/);

    clock += 60_000; // the next window
    const again = await runCli(['whoami'], { cwd: dir, env: { ...elsewhere, XDG_STATE_HOME: join(dir, 'third-machine') } });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Rate limit: 1 of 2 requests left this minute (resets at 12:02:00 UTC)');
  });

  it('a missing token is exit 2 naming DRIBBBLE_ACCESS_TOKEN; a revoked one is exit 3 saying how to get a new one', async () => {
    const dir = await makeTempDir();
    const missing = await runCli(['whoami', '--api-url', mock.apiBaseUrl], { cwd: dir, env: cliEnv(dir) });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('DRIBBBLE_ACCESS_TOKEN');
    const invalid = await runCli(['whoami', '--api-url', mock.apiBaseUrl], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_ACCESS_TOKEN: 'revoked-token-value-0000000000' }) });
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toContain('answered 401 ("Bad credentials."): the access token');
    expect(invalid.stderr).toContain('missing, invalid or revoked');
    expect(invalid.stderr).toContain('npm run authorize');
    expect(invalid.stderr).not.toContain('revoked-token-value-0000000000');
  });
});
