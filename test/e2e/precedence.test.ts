// PRODUCT.md's precedence, as the server sees it: flag, process environment, env file,
// --environment, default. Every variable is set at every level at once, then the levels are
// removed one by one (and emptied: an empty value counts as unset).
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
    stubs[level] = await startStubServer((req, res) =>
      // No scope in the answer: the output's scope is then the configured one.
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(req.url?.endsWith('/user') ? { login: `user-of-${level}` } : { access_token: 'a'.repeat(40), token_type: 'Bearer' })),
    );
  }
});
afterAll(async () => {
  for (const level of LEVELS) await stubs[level].close();
});

const valuesAt = (level: Level) => ({
  client_id: `id-from-${level}`,
  client_secret: `secret-from-${level}-0123456789`,
  redirect_uri: `http://127.0.0.1:9/${level}`,
  code: `code-from-${level}`,
  scope: `scope-${level}`,
  oauth_origin: `${stubs[level].origin}/oauth`,
  access_token: `token-from-${level}-0123456789`,
  api_origin: `${stubs[level].origin}/v2`,
});
const ENV_NAMES = { client_id: 'DRIBBBLE_CLIENT_ID', client_secret: 'DRIBBBLE_CLIENT_SECRET', redirect_uri: 'DRIBBBLE_REDIRECT_URI', code: 'DRIBBBLE_CODE', scope: 'DRIBBBLE_SCOPE', oauth_origin: 'DRIBBBLE_OAUTH_URL', access_token: 'DRIBBBLE_ACCESS_TOKEN', api_origin: 'DRIBBBLE_API_URL' } as const;
const FLAGS = { client_id: '--client-id', client_secret: '--client-secret', redirect_uri: '--redirect-uri', code: '--code', scope: '--scope', oauth_origin: '--oauth-url', api_origin: '--api-url' } as const;
type Key = keyof typeof ENV_NAMES;

/** Command line, environment and files with every level from `from` down set, and the ones above it set empty (or absent). */
async function configure(dir: string, from: Level, above: 'absent' | 'empty', keys: Key[]) {
  const index = LEVELS.indexOf(from);
  const value = (level: Level, key: Key) => (LEVELS.indexOf(level) < index ? (above === 'empty' ? '' : undefined) : valuesAt(level)[key]);
  const args: string[] = [];
  const env: Record<string, string> = {};
  const envFile: string[] = [];
  const environment: Array<{ key: string; value: string }> = [];
  for (const key of keys) {
    const flag = FLAGS[key as keyof typeof FLAGS];
    const f = value('flag', key);
    if (flag && f !== undefined) args.push(`${flag}=${f}`);
    const e = value('env', key);
    if (e !== undefined) env[ENV_NAMES[key]] = e;
    const ef = value('envfile', key);
    if (ef !== undefined) envFile.push(`${ENV_NAMES[key]}=${ef}`);
    environment.push({ key, value: valuesAt('environment')[key] });
  }
  await writeFile(join(dir, 'levels.env'), `${envFile.join('\n')}\n`);
  await writeFile(join(dir, 'levels.postman_environment.json'), JSON.stringify({ name: 'levels', values: environment.map((v) => ({ ...v, enabled: true })) }));
  return { args: [...args, '--env-file', 'levels.env', '--environment', 'levels.postman_environment.json', '--json', '--no-save', '--no-pkce'], env };
}

const TOKEN_KEYS: Key[] = ['client_id', 'client_secret', 'redirect_uri', 'code', 'scope', 'oauth_origin'];

describe('precedence of exchange\'s inputs', () => {
  for (const level of LEVELS) {
    for (const above of level === 'flag' ? (['absent'] as const) : (['absent', 'empty'] as const)) {
      it(`with the levels above ${level} ${above}, every value comes from ${level}`, async () => {
        const dir = await makeTempDir();
        for (const stub of Object.values(stubs)) stub.requests.length = 0;
        const { args, env } = await configure(dir, level, above, TOKEN_KEYS);
        const result = await runCli(['exchange', ...args], { cwd: dir, env: cliEnv(dir, env) });
        expect(result.code, result.stderr).toBe(0);
        const expected = valuesAt(level);
        for (const other of LEVELS) expect(stubs[other].requests).toHaveLength(other === level ? 1 : 0);
        const form = Object.fromEntries(new URLSearchParams(stubs[level].requests[0]!.body));
        expect(form).toMatchObject({ client_id: expected.client_id, client_secret: expected.client_secret, redirect_uri: expected.redirect_uri, code: expected.code });
        expect(JSON.parse(result.stdout).scope).toBe(expected.scope);
      });
    }
  }

  it('with scope set nowhere, or empty everywhere, the default "public" is used', async () => {
    const dir = await makeTempDir();
    const { args, env } = await configure(dir, 'environment', 'empty', ['client_id', 'client_secret', 'redirect_uri', 'code', 'oauth_origin']);
    for (const extra of [[], ['--scope=']]) {
      const result = await runCli(['exchange', ...args, ...extra], { cwd: dir, env: cliEnv(dir, { ...env, DRIBBBLE_SCOPE: '' }) });
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).scope).toBe('public');
    }
  });
});

describe('precedence of whoami\'s inputs (no flag for the token)', () => {
  for (const level of ['env', 'envfile', 'environment'] as const) {
    it(`the token and API URL come from ${level} when the levels above are empty`, async () => {
      const dir = await makeTempDir();
      for (const stub of Object.values(stubs)) stub.requests.length = 0;
      const { args, env } = await configure(dir, level, 'empty', ['access_token', 'api_origin']);
      const result = await runCli(['whoami', ...args.filter((a) => a !== '--no-save' && a !== '--no-pkce')], { cwd: dir, env: cliEnv(dir, env) });
      expect(result.code, result.stderr).toBe(0);
      expect(stubs[level].requests[0]!.headers.authorization).toBe(`Bearer ${valuesAt(level).access_token}`);
      expect(JSON.parse(result.stdout).user.login).toBe(`user-of-${level}`);
    });
  }
});
