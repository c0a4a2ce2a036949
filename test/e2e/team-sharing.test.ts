// Sharing through git without leaking: check-secrets (and its pre-commit hook) on realistic Postman
// exports, sanitize, and profiles end to end. What a scan finds and how each finding reads, what
// sanitize refuses, where a hook goes and how it fails closed, and how a profile is selected are unit
// tests (check-secrets-scan, profile-selection); here the whole runs, a few rich ones.
import { execFileSync, spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { collection as collectionFixture, PLANTS, postmanV11Export } from '../fixtures/postman-exports.js';
import { ROOT, authorizeAtMock, cliEnv, makeTempDir, runCli } from './helpers.js';

const SECRET = 'f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2';
const TOKEN = '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b';
const CLIENT_ID = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
let repo: string;

/** A Postman environment as the app exports it: current values filled, export metadata included. */
const environmentExport = () => ({
  id: '5d6e7f80-1a2b-4c3d-9e8f-0a1b2c3d4e5f',
  name: 'Dribbble (Ana)',
  values: [
    { key: 'api_origin', value: 'https://api.dribbble.com', type: 'default', enabled: true },
    { key: 'client_secret', value: SECRET, type: 'default', enabled: true },
    { key: 'client_id', value: 'ana-client-id', type: 'default', enabled: true },
    { key: 'access_token', value: TOKEN, type: 'secret', enabled: true },
    { key: 'my_extra', value: 'kept', type: 'default', enabled: true },
  ],
  _postman_variable_scope: 'environment',
  _postman_exported_at: '2026-11-28T09:14:03.512Z',
  _postman_exported_using: 'Postman/11.20.0',
});

/** Our collection after Postman's "Get New Access Token" > "Use Token", exported. */
async function collectionExport() {
  const collection = JSON.parse(await readFile(join(ROOT, 'collections', 'dribbble-oauth.postman_collection.json'), 'utf8'));
  collection.info._exporter_id = '12345678';
  collection.auth.oauth2.find((e: { key: string }) => e.key === 'accessToken').value = TOKEN;
  return collection;
}

/** A plain Newman `-r json` report: the environment, a request header and a recorded answer hold secrets. */
const newmanReport = () => ({
  collection: { info: { name: 'Dribbble OAuth' }, item: [] },
  environment: { name: 'Dribbble', values: [{ key: 'client_secret', value: SECRET, type: 'secret', enabled: true }] },
  run: { executions: [{ request: { method: 'GET', header: [{ key: 'Authorization', value: `Bearer ${TOKEN}` }], url: { path: ['v2', 'user'] } }, response: { code: 200, stream: { type: 'Buffer', data: [...Buffer.from(`{"access_token":"${TOKEN}"}`)] } } }] },
});

function git(...args: string[]) {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' });
}
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: repo, env: cliEnv(repo, env) });
const commit = (message: string, env: Record<string, string> = {}) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', message], { cwd: repo, encoding: 'utf8', env: cliEnv(repo, env) });

/**
 * The tool installed in the repository as a dependency would be, as pnpm lays it out: under its
 * own name, node_modules/dribbble-oauth, or under an alias (dribbble@npm:dribbble-oauth), reached
 * only by node_modules/.bin/dribbble-oauth, a shell script there (a link to the script under npm).
 * And husky, for husky's own init.
 */
async function linkTool(dir: string, name: 'dribbble-oauth' | 'dribbble') {
  await mkdir(join(dir, 'node_modules', '.bin'), { recursive: true });
  await symlink(ROOT, join(dir, 'node_modules', name));
  await writeFile(join(dir, 'node_modules', '.bin', 'dribbble-oauth'), `#!/bin/sh\nexec node "$(dirname "$0")/../${name}/dist/cli.js" "$@"\n`, { mode: 0o755 });
  await symlink(join(ROOT, 'node_modules', 'husky'), join(dir, 'node_modules', 'husky'));
  await symlink(join(ROOT, 'node_modules', 'husky', 'bin.js'), join(dir, 'node_modules', '.bin', 'husky'));
}

beforeEach(async () => {
  repo = await makeTempDir();
  git('init', '-q');
});

describe('check-secrets and sanitize, end to end', () => {
  it('check-secrets names every secret masked (exit 2); sanitize --check fails, sanitize cleans an environment, a collection, the twelve planted secrets and a Newman report; then check-secrets --all and sanitize --check pass', async () => {
    const environment = join(repo, 'ana.postman_environment.json');
    const collection = join(repo, 'dribbble.postman_collection.json');
    const planted = join(repo, 'team.postman_collection.json');
    const report = join(repo, 'newman', 'run.json');
    await writeFile(environment, JSON.stringify(environmentExport(), null, '\t'));
    await writeFile(collection, JSON.stringify(await collectionExport(), null, '\t'));
    await chmod(collection, 0o644);
    const twelve = collectionFixture();
    for (const [, plant] of PLANTS) plant(twelve);
    await writeFile(planted, postmanV11Export(twelve));
    await mkdir(join(repo, 'newman'));
    await writeFile(report, JSON.stringify(newmanReport(), null, 2)); // a plain -r json report, no .env present
    git('add', '.');
    git('add', '-f', 'newman/run.json');
    const files = [environment, collection, planted, report];

    const found = await cli(['check-secrets']);
    expect(found.code).toBe(2);
    expect(found.stderr).toContain('error [secrets_found]');
    expect(found.stderr).toContain(`ana.postman_environment.json: values["client_secret"] = ${SECRET.slice(0, 4)}…${SECRET.slice(-4)} (a filled value for the secret "client_secret")`);
    expect(found.stderr).toContain('ana.postman_environment.json: values["access_token"]');
    expect(found.stderr).toContain('dribbble.postman_collection.json: auth.oauth2["accessToken"] = 9a8b…9a8b (a literal accessToken in the oauth2 auth (Postman\'s "Use Token" puts it there))');
    expect(found.stderr.split('\n').filter((line) => line.startsWith('  team.postman_collection.json: ')).length).toBeGreaterThanOrEqual(12);
    expect(found.stderr).toContain('newman/run.json: environment.values["client_secret"]');
    expect(found.stderr).toContain('newman/run.json: run.executions[0].request.header["Authorization"]');
    for (const secret of [SECRET, TOKEN]) expect(found.stdout + found.stderr).not.toContain(secret);

    expect((await cli(['sanitize', '--check', ...files])).code).toBe(2);
    const sanitized = await cli(['sanitize', ...files]);
    expect(sanitized.code, sanitized.stderr).toBe(0);
    // Secrets emptied and typed, export noise dropped, keys in our order, the rest kept.
    expect(JSON.parse(await readFile(environment, 'utf8'))).toEqual({
      id: '5d6e7f80-1a2b-4c3d-9e8f-0a1b2c3d4e5f',
      name: 'Dribbble (Ana)',
      values: [
        { key: 'client_id', value: 'ana-client-id', type: 'default', enabled: true },
        { key: 'client_secret', value: '', type: 'secret', enabled: true },
        { key: 'access_token', value: '', type: 'secret', enabled: true },
        { key: 'api_origin', value: 'https://api.dribbble.com', type: 'default', enabled: true },
        { key: 'my_extra', value: 'kept', type: 'default', enabled: true },
      ],
      _postman_variable_scope: 'environment',
    });
    // {{access_token}} back in the auth, the exporter id gone: our committed collection, its mode kept.
    expect(await readFile(collection, 'utf8')).toBe(await readFile(join(ROOT, 'collections', 'dribbble-oauth.postman_collection.json'), 'utf8'));
    expect((await stat(collection)).mode & 0o777).toBe(0o644);
    expect(await readFile(report, 'utf8')).not.toContain(TOKEN);

    git('add', '.');
    git('add', '-f', 'newman/run.json');
    const all = await cli(['check-secrets', '--all']);
    expect(all.code, all.stderr).toBe(0);
    expect((await cli(['sanitize', '--check', ...files])).code).toBe(0);
  });

  it('this repository ignores newman/ and the README\'s CI recipe is what .ci/run runs', async () => {
    expect(spawnSync('git', ['check-ignore', 'newman/x.json'], { cwd: ROOT }).status).toBe(0);
    const ci = await readFile(join(ROOT, '.ci', 'run'), 'utf8');
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    expect(ci).toContain('npm run -s check-secrets -- --all');
    expect(readme).toContain('npm run -s check-secrets -- --all');
  });
});

/** A team environment: a 64-hex client ID (not a secret) and an empty client_secret. */
const teamEnvironment = () => JSON.stringify({ ...environmentExport(), values: [{ key: 'client_id', value: CLIENT_ID, type: 'default', enabled: true }, { key: 'client_secret', value: '', type: 'secret', enabled: true }] }, null, 2);

describe('the pre-commit hook', () => {
  it('--install-hook (the tool installed by pnpm): a commit carrying a filled client_secret is refused naming file and key; a team environment goes through; without node_modules every commit is refused, saying how to fix it', async () => {
    await linkTool(repo, 'dribbble-oauth');
    const install = await cli(['check-secrets', '--install-hook']);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).not.toContain('warning');
    const file = join(repo, 'environments', 'team.postman_environment.json');
    await mkdir(join(repo, 'environments'));
    await writeFile(file, JSON.stringify(environmentExport(), null, '\t'));
    git('add', '.');
    const refused = commit('share env');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('environments/team.postman_environment.json: values["client_secret"]');
    expect(() => git('rev-parse', 'HEAD')).toThrow(); // nothing was committed
    // From a subfolder, with GIT_INDEX_FILE as git gives a hook (.git/index, read by git against
    // the top): the same refusal (anchored to the subfolder it named an empty index, and passed).
    await mkdir(join(repo, 'sub'));
    const fromSub = await runCli(['check-secrets'], { cwd: join(repo, 'sub'), env: cliEnv(repo, { GIT_INDEX_FILE: '.git/index' }) });
    expect(fromSub.code, fromSub.stdout).toBe(2);
    expect(fromSub.stderr).toContain('environments/team.postman_environment.json: values["client_secret"]');
    // A relative GIT_DIR and GIT_WORK_TREE given in the subfolder: the same repository when git runs from the top.
    const relative = await runCli(['check-secrets'], { cwd: join(repo, 'sub'), env: cliEnv(repo, { GIT_DIR: '../.git', GIT_WORK_TREE: '..' }) });
    expect(relative.code, relative.stderr).toBe(2);
    expect(relative.stderr).toContain('environments/team.postman_environment.json: values["client_secret"]');

    await writeFile(file, teamEnvironment());
    git('add', '.');
    const accepted = commit('share env');
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(git('show', 'HEAD:environments/team.postman_environment.json')).not.toContain(SECRET);

    // Fails closed when it cannot run, and names the bypass.
    await rm(join(repo, 'node_modules'), { recursive: true });
    await writeFile(join(repo, 'notes.md'), 'hello\n');
    git('add', 'notes.md');
    const closed = commit('notes');
    expect(closed.status).not.toBe(0);
    expect(closed.stderr).toContain('npm install');
    expect(closed.stderr).toContain('--no-verify');
    // Installing where the hook cannot find the tool says so, rather than leave every commit refused unexplained.
    const blind = await cli(['check-secrets', '--install-hook']);
    expect(blind.code, blind.stderr).toBe(0);
    expect(blind.stdout).toContain('warning: the hook finds no dribbble-oauth in');
    expect(blind.stdout).toContain('so it refuses every commit until there is one');
  });

  it('husky v9 (npx husky init), the tool under an alias, found by its .bin script: --install-hook adds the check to .husky/pre-commit after husky\'s own line; a filled environment is refused', async () => {
    await linkTool(repo, 'dribbble');
    await writeFile(join(repo, 'package.json'), JSON.stringify({ name: 'team', private: true, scripts: { test: 'exit 0' } }, null, 2));
    // What `npx husky init` runs (npx itself only finds node_modules/.bin/husky, for a second of CPU).
    const init = spawnSync(process.execPath, [join(repo, 'node_modules', '.bin', 'husky'), 'init'], { cwd: repo, encoding: 'utf8', env: cliEnv(repo) });
    expect(init.status, init.stderr).toBe(0);
    expect(git('config', 'core.hooksPath').trim()).toBe('.husky/_');
    const install = await cli(['check-secrets', '--install-hook']);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain('.husky/pre-commit');
    const hook = await readFile(join(repo, '.husky', 'pre-commit'), 'utf8');
    expect(hook).toMatch(/^npm test\n/); // husky's own line is kept
    expect(hook).not.toContain(ROOT);
    await writeFile(join(repo, 'team.postman_environment.json'), JSON.stringify(environmentExport(), null, 2));
    git('add', 'team.postman_environment.json');
    const refused = commit('filled');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('team.postman_environment.json: values["client_secret"]');

    // A worktree added after husky ran shares core.hooksPath, not husky's ignored .husky/_: git
    // runs no hook there until husky sets it up, and --json says so (runs: false, why).
    git('rm', '-q', '--cached', 'team.postman_environment.json');
    git('add', '.husky/pre-commit', 'package.json');
    expect(commit('husky').status).toBe(0);
    const tree = join(repo, '..', `${basename(repo)}-worktree`);
    git('worktree', 'add', '-q', tree);
    const there = await runCli(['check-secrets', '--install-hook', '--json'], { cwd: tree, env: cliEnv(tree) });
    expect(there.code, there.stderr).toBe(0);
    expect(JSON.parse(there.stdout)).toMatchObject({ ok: true, hook: join('.husky', 'pre-commit'), done: 'current', runs: false, why: `git runs no hook in this work tree (core.hooksPath .husky/_ does not exist here, as in a worktree added after husky ran). Set husky up here: run "npm install" in ${realpathSync(tree)} (its prepare script runs husky), or "npx husky .husky" in ${realpathSync(tree)}` });
    await writeFile(join(tree, 'team.postman_environment.json'), JSON.stringify(environmentExport(), null, 2));
    spawnSync('git', ['add', '.'], { cwd: tree });
    // The advice, followed (husky from the main tree's node_modules: the worktree has none): the hook runs, and refuses.
    const husky = spawnSync(process.execPath, [join(repo, 'node_modules', '.bin', 'husky'), '.husky'], { cwd: tree, encoding: 'utf8', env: cliEnv(tree) });
    expect(husky.status, husky.stderr).toBe(0);
    const checked = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'checked'], { cwd: tree, encoding: 'utf8', env: cliEnv(tree) });
    expect(checked.status).not.toBe(0);
    expect(checked.stderr).toContain('check-secrets cannot run');
  });
});

describe('profiles', () => {
  let mock: MockServer;
  const staging = { clientId: 'staging-app', clientSecret: 'staging-secret-0123456789abcdef', redirectUris: ['http://127.0.0.1:9/staging'] };
  const production = { clientId: 'production-app', clientSecret: 'production-secret-0123456789abcd', redirectUris: ['http://127.0.0.1:9/production'] };
  beforeAll(async () => {
    mock = await startMockServer({ port: 0, clients: [staging, production] });
  });
  afterAll(() => mock.close());

  it('init and exchange write the selected profile\'s own env file; profiles lists each (not .env.example), secrets masked', async () => {
    const init = await runCli(['init', '--profile', 'staging', '--client-id', staging.clientId, '--client-secret', '-', '--redirect-uri', staging.redirectUris[0]!], { cwd: repo, env: cliEnv(repo), input: `${staging.clientSecret}\n` });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('Next: npm run authorize -- --profile staging');
    expect(parseDotenv(await readFile(join(repo, '.env.staging'))).DRIBBBLE_CLIENT_ID).toBe('staging-app');
    await writeFile(join(repo, '.env.production'), `DRIBBBLE_CLIENT_ID=${production.clientId}\nDRIBBBLE_CLIENT_SECRET=${production.clientSecret}\nDRIBBBLE_REDIRECT_URI=${production.redirectUris[0]}\n`);
    await writeFile(join(repo, '.env.example'), 'DRIBBBLE_CLIENT_ID=\n');
    await writeFile(join(repo, '.env.qa'), 'DRIBBBLE_CLIENT_ID=qa-app\n');

    const { code } = await authorizeAtMock(mock.oauthBaseUrl, { clientId: staging.clientId, redirectUri: staging.redirectUris[0]! });
    const exchange = await cli(['exchange', '--profile', 'staging', '--oauth-url', mock.oauthBaseUrl], { DRIBBBLE_CODE: code });
    expect(exchange.code, exchange.stderr).toBe(0);
    expect(exchange.stdout).toContain(`Saved to ${join(repo, '.env.staging')}`);
    expect(parseDotenv(await readFile(join(repo, '.env.staging'))).DRIBBBLE_ACCESS_TOKEN).toMatch(/^[0-9a-f]{64}$/);
    expect(parseDotenv(await readFile(join(repo, '.env.production'))).DRIBBBLE_ACCESS_TOKEN).toBeUndefined();

    const list = await cli(['profiles']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^production {2}\(\.env\.production\)\n {2}DRIBBBLE_CLIENT_ID +production-app\n {2}DRIBBBLE_CLIENT_SECRET +prod…abcd\n/m);
    expect(list.stdout).toMatch(/^staging {2}\(\.env\.staging\)/m);
    expect(list.stdout).toMatch(/DRIBBBLE_ACCESS_TOKEN +[0-9a-f]{4}…[0-9a-f]{4}/);
    expect(list.stdout).toContain('qa  (.env.qa)');
    expect(list.stdout).not.toContain('example');
    for (const secret of [staging.clientSecret, production.clientSecret]) expect(list.stdout).not.toContain(secret);
  });
});
