// PRODUCT.md's precedence, as the server sees it: flag, process environment, env file,
// --environment, default. The order itself is resolveConfig's and is tested level by level in
// process (test/unit/config-resolution.test.ts: each level wins over the ones after it, an empty
// value counts as unset). Here one exchange run shows every input channel reaching Newman's
// request: each value is set at its own winning level and at every level below it (and set empty
// at some above it), so a channel read wrongly or in the wrong order sends another value.
// whoami's channels: test/e2e/whoami.test.ts (the token from --environment, the API URL from .env).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, makeTempDir, runCli, startStubServer } from './helpers.js';

const LEVELS = ['flag', 'env', 'envfile', 'environment'] as const;
type Level = (typeof LEVELS)[number];
type Stub = Awaited<ReturnType<typeof startStubServer>>;
const stubs = {} as Record<Level, Stub>;

beforeAll(async () => {
  for (const level of LEVELS) {
    // No scope in the answer: the output's scope is then the configured one.
    stubs[level] = await startStubServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 'a'.repeat(40), token_type: 'Bearer' })));
  }
});
afterAll(async () => {
  for (const level of LEVELS) await stubs[level].close();
});

const at = (level: Level) => ({
  client_id: `id-from-${level}`,
  client_secret: `secret-from-${level}-0123456789`,
  redirect_uri: `http://127.0.0.1:9/${level}`,
  code: `code-from-${level}`,
  oauth_origin: `${stubs[level].origin}/oauth`,
});

describe('precedence of exchange\'s inputs', () => {
  it('each value comes from its highest non-empty level: client ID from the flag, secret and OAuth URL from the environment, redirect URI from the env file, code from --environment, scope from nowhere (the default "public")', async () => {
    const dir = await makeTempDir();
    const args = [
      `--client-id=${at('flag').client_id}`,
      '--client-secret=', // empty: the level below is used
      '--code=',
      '--scope=',
    ];
    const env = {
      DRIBBBLE_CLIENT_ID: at('env').client_id,
      DRIBBBLE_CLIENT_SECRET: at('env').client_secret,
      DRIBBBLE_REDIRECT_URI: '',
      DRIBBBLE_OAUTH_URL: at('env').oauth_origin,
      DRIBBBLE_SCOPE: '',
    };
    const envFile = [
      `DRIBBBLE_CLIENT_ID=${at('envfile').client_id}`,
      `DRIBBBLE_CLIENT_SECRET=${at('envfile').client_secret}`,
      `DRIBBBLE_REDIRECT_URI=${at('envfile').redirect_uri}`,
      'DRIBBBLE_CODE=',
      `DRIBBBLE_OAUTH_URL=${at('envfile').oauth_origin}`,
      'DRIBBBLE_SCOPE=',
    ];
    const environment = { ...at('environment'), scope: '' };
    await writeFile(join(dir, 'levels.env'), `${envFile.join('\n')}\n`);
    await writeFile(join(dir, 'levels.postman_environment.json'), JSON.stringify({ name: 'levels', values: Object.entries(environment).map(([key, value]) => ({ key, value, enabled: true })) }));

    const result = await runCli(['exchange', ...args, '--env-file', 'levels.env', '--environment', 'levels.postman_environment.json', '--json', '--no-save', '--no-pkce'], { cwd: dir, env: cliEnv(dir, env) });
    expect(result.code, result.stderr).toBe(0);
    for (const level of LEVELS) expect(stubs[level].requests).toHaveLength(level === 'env' ? 1 : 0);
    expect(Object.fromEntries(new URLSearchParams(stubs.env.requests[0]!.body))).toMatchObject({
      client_id: at('flag').client_id,
      client_secret: at('env').client_secret,
      redirect_uri: at('envfile').redirect_uri,
      code: at('environment').code,
    });
    expect(JSON.parse(result.stdout).scope).toBe('public');
  });
});
