// Newman's reports of our collection, measured per reporter: a plain json report holds the client
// secret, the code and the token (and check-secrets flags it); the README's recipe writes none.
import { execFile, execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { ROOT, authorizeAtMock, cliEnv, makeTempDir, runCli } from './helpers.js';

const NEWMAN = join(ROOT, 'node_modules', 'newman', 'bin', 'newman.js');
const client = { clientId: 'reports-client', clientSecret: 'c0ffee00deadbeefc0ffee00deadbeefc0ffee00deadbeefc0ffee00deadbeef', redirectUris: ['http://127.0.0.1:9/callback'] };
// The README's recipe, word for word after "newman run <collection> -e <environment>".
const RECIPE = ['-r', 'cli,htmlextra', '--reporter-htmlextra-export', 'newman/report.html', '--reporter-htmlextra-skipSensitiveData', '--reporter-htmlextra-skipEnvironmentVars', 'client_secret,code,code_verifier,access_token', '--reporter-htmlextra-skipGlobalVars', 'client_secret,code,code_verifier,access_token'];

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ port: 0, clients: [client] });
});
afterAll(() => mock.close());

async function newman(dir: string, reporters: string[]): Promise<{ code: number; stdout: string; secrets: string[] }> {
  const { code } = await authorizeAtMock(mock.oauthBaseUrl, { clientId: client.clientId, redirectUri: client.redirectUris[0]! });
  const args = ['run', join(ROOT, 'collections', 'dribbble-oauth.postman_collection.json'), '-e', join(ROOT, 'environments', 'dribbble.postman_environment.json'),
    '--env-var', `client_id=${client.clientId}`, '--env-var', `client_secret=${client.clientSecret}`, '--env-var', `redirect_uri=${client.redirectUris[0]}`, '--env-var', `code=${code}`,
    '--env-var', `oauth_origin=${mock.origin}`, '--env-var', `api_origin=${mock.origin}`,
    // The base URLs are becoming origins (oauth_origin, api_origin): both spellings, so the test holds across that change.
    '--env-var', `oauth_origin=${mock.origin}`, '--env-var', `api_origin=${mock.origin}`,
    // The token flow only, wherever the collection files its requests: the rest of the API is not what is measured.
    '--folder', 'Authorize', '--folder', 'Exchange code for token', '--folder', 'Get authenticated user', ...reporters];
  return new Promise((resolve) => {
    execFile(process.execPath, [NEWMAN, ...args], { cwd: dir, env: cliEnv(dir), timeout: 60_000 }, (error, stdout) => {
      const signed = mock.requests.filter((r) => r.path.endsWith('/user')).at(-1);
      const token = String(signed?.headers.authorization ?? '').replace(/^Bearer /, '');
      expect(token.length).toBeGreaterThan(20);
      resolve({ code: error ? Number(error.code) : 0, stdout, secrets: [client.clientSecret, code, token].filter(Boolean) });
    });
  });
}

async function reportTexts(dir: string): Promise<Array<[string, string]>> {
  const files = await readdir(join(dir, 'newman'));
  return Promise.all(files.map(async (f) => [f, await readFile(join(dir, 'newman', f), 'utf8')] as [string, string]));
}

describe('Newman reports', () => {
  // One Newman run with both: the README's recipe and a plain json reporter beside it (reporters
  // are independent: each writes its own file from the same run).
  it('the README\'s reporter recipe writes no secret into its report or the console (htmlextra, hiding what it can); a plain -r json report of the same run holds the secret, and check-secrets flags it staged, with no .env present', async () => {
    const dir = await makeTempDir();
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const recipe = [...RECIPE];
    recipe[1] = `${recipe[1]},json`;
    const run = await newman(dir, [...recipe, '--reporter-json-export', 'newman/run.json']);
    expect(run.code, run.stdout).toBe(0);
    const reports = Object.fromEntries(await reportTexts(dir));
    expect(Object.keys(reports).sort()).toEqual(['report.html', 'run.json']);
    for (const secret of run.secrets) expect(reports['report.html']).not.toContain(secret);
    for (const secret of run.secrets) expect(run.stdout).not.toContain(secret);
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(RECIPE.join(' '));

    expect(reports['run.json']).toContain(client.clientSecret);
    execFileSync('git', ['add', '-f', 'newman/run.json'], { cwd: dir });
    const check = await runCli(['check-secrets'], { cwd: dir, env: cliEnv(dir) });
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('newman/run.json: ');
    expect(check.stderr).not.toContain(client.clientSecret);
  });
});
