// check-secrets and sanitize in process, against real git repositories in temporary folders: what a
// scan finds and how each finding is shown (scanRepository, showFinding, the warning and the
// refusal), what sanitize refuses, where --install-hook writes and how the hook fails closed. The
// e2e team-sharing tests keep the whole runs: the CLI's streams and exit codes, real commits.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, realpath, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { UsageError } from '../../scripts/lib/core/errors.js';
import { MOCK_DEMO_CLIENT } from '../../scripts/lib/mock/mock-defaults.js';
import { COLLECTION_PATH, PACKAGE_ROOT } from '../../scripts/lib/postman/collection-files.js';
import { HOOK_BLOCK, installHook } from '../../scripts/lib/secrets/pre-commit-hook.js';
import { readForSanitize, sanitizeParsed } from '../../scripts/lib/secrets/postman-sanitize.js';
import { ownValues, scanRepository, type FileFinding } from '../../scripts/lib/secrets/repository-scan.js';
import { secretsFoundError, showFinding, warningText } from '../../scripts/lib/secrets/scan-report.js';
import { checkSaveTargets } from '../../scripts/lib/oauth/token-exchange.js';
import { SECRET, TOKEN } from '../fixtures/postman-exports.js';

let repo: string;
const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, stdio: 'pipe' }).toString('utf8');

/** A Postman environment as the app exports it: current values filled, export metadata included. */
const environmentExport = () => ({
  id: '5d6e7f80-1a2b-4c3d-9e8f-0a1b2c3d4e5f',
  name: 'Dribbble (Ana)',
  values: [
    { key: 'api_origin', value: 'https://api.dribbble.com', type: 'default', enabled: true },
    { key: 'client_secret', value: SECRET, type: 'default', enabled: true },
    { key: 'client_id', value: 'ana-client-id', type: 'default', enabled: true },
    { key: 'access_token', value: TOKEN, type: 'secret', enabled: true },
  ],
  _postman_variable_scope: 'environment',
  _postman_exported_at: '2026-11-28T09:14:03.512Z',
});

/** Our collection after Postman's "Get New Access Token" > "Use Token", exported. */
async function collectionExport() {
  const collection = JSON.parse(await readFile(join(PACKAGE_ROOT, COLLECTION_PATH), 'utf8'));
  collection.info._exporter_id = '12345678';
  collection.auth.oauth2.find((e: { key: string }) => e.key === 'accessToken').value = TOKEN;
  return collection;
}

/** What check-secrets prints for `env` (the process environment) in `root`: stdout's warning and stderr's refusal. */
function check(all = false, env: NodeJS.ProcessEnv = {}, root = repo): { blocking: FileFinding[]; warning: string; refusal?: UsageError } {
  const scan = scanRepository(root, ownValues([root], undefined, env), all);
  return { blocking: scan.blocking, warning: warningText(scan.warnings) ?? '', refusal: secretsFoundError(scan, all) };
}

beforeEach(async () => {
  repo = await realpath(await mkdtemp(join(tmpdir(), 'check-secrets-unit-')));
  git('init', '-q');
});

describe('what check-secrets finds and shows', () => {
  test('a filled secret in an environment export and a literal token in a collection auth: exit 2, named by file and key, masked', async () => {
    await writeFile(join(repo, 'ana.postman_environment.json'), JSON.stringify(environmentExport(), null, '\t'));
    await writeFile(join(repo, 'dribbble.postman_collection.json'), JSON.stringify(await collectionExport(), null, '\t'));
    git('add', '.');
    const { refusal } = check();
    expect(refusal?.exitCode).toBe(2);
    expect(refusal?.code).toBe('secrets_found');
    expect(refusal?.message).toContain(`ana.postman_environment.json: values["client_secret"] = ${SECRET.slice(0, 4)}…${SECRET.slice(-4)} (a filled value for the secret "client_secret")`);
    expect(refusal?.message).toContain('ana.postman_environment.json: values["access_token"]');
    expect(refusal?.message).toContain('dribbble.postman_collection.json: auth.oauth2["accessToken"] = 9a8b…9a8b (a literal accessToken in the oauth2 auth (Postman\'s "Use Token" puts it there))');
    expect(refusal?.message).not.toContain(SECRET);
    expect(refusal?.message).not.toContain(TOKEN);
  });

  test('the user\'s own .env secret in any tracked file, a tracked .env, and a token-shaped string in a Postman file', async () => {
    await writeFile(join(repo, '.env'), `DRIBBBLE_CLIENT_SECRET=${SECRET}\n`);
    await writeFile(join(repo, 'notes.md'), `pasted by mistake: ${SECRET}\n`);
    await writeFile(join(repo, 'other.postman_environment.json'), JSON.stringify({ name: 'x', values: [{ key: 'note', value: `Bearer ${'A'.repeat(43)}`, type: 'default' }] }));
    git('add', '-f', '.env', 'notes.md', 'other.postman_environment.json');
    const { refusal } = check();
    expect(refusal?.message).toContain('  .env: the whole file (an env file is tracked');
    expect(refusal?.message).toContain('notes.md: DRIBBBLE_CLIENT_SECRET = f3e2…f3e2 (the value of your own DRIBBBLE_CLIENT_SECRET)');
    expect(refusal?.message).toContain('other.postman_environment.json: values["note"] = AAAA…AAAA (a literal Bearer token)');
  });

  test('this project\'s own tracked files pass, with the mock\'s demo secret as the user\'s own too; elsewhere the demo secret is a finding', async () => {
    expect(check(true, {}, PACKAGE_ROOT).refusal?.message).toBeUndefined();
    expect(check(true, { DRIBBBLE_CLIENT_SECRET: MOCK_DEMO_CLIENT.clientSecret }, PACKAGE_ROOT).refusal?.message).toBeUndefined();
    await writeFile(join(repo, 'notes.md'), `demo: ${MOCK_DEMO_CLIENT.clientSecret}\n`);
    git('add', 'notes.md');
    expect(check(false, { DRIBBBLE_CLIENT_SECRET: MOCK_DEMO_CLIENT.clientSecret }).refusal?.exitCode).toBe(2);
  });

  test('secrets given only in the process environment, as in CI, are looked for (N02); every profile\'s env file too', async () => {
    await writeFile(join(repo, 'notes.md'), `token ${TOKEN}; prod prod-secret-0123456789\n`);
    git('add', 'notes.md');
    expect(check(false, { DRIBBBLE_ACCESS_TOKEN: TOKEN }).refusal?.message).toContain('notes.md: DRIBBBLE_ACCESS_TOKEN = 9a8b…9a8b');
    await writeFile(join(repo, '.env.prod'), 'DRIBBBLE_CLIENT_SECRET=prod-secret-0123456789\n');
    expect(check().refusal?.message).toContain('notes.md: DRIBBBLE_CLIENT_SECRET');
  });

  test('a staged file name holding a newline cannot forge a line of the output (F13)', async () => {
    await writeFile(join(repo, '.env'), `DRIBBBLE_CLIENT_SECRET=${SECRET}\n`);
    await writeFile(join(repo, 'a\n  forged.md: nothing here'), SECRET);
    git('add', '.');
    const message = check().refusal?.message ?? '';
    expect(message).toContain('  a\\n  forged.md: nothing here: DRIBBBLE_CLIENT_SECRET');
    expect(message.split('\n').some((line) => line.startsWith('  forged.md'))).toBe(false);
  });

  test('a staged 6 MB .env is refused, not skipped (F7); a tracked .env.staging is reported (N01)', async () => {
    await writeFile(join(repo, '.env'), `DRIBBBLE_CLIENT_SECRET=${SECRET}\n${'#'.repeat(6 * 1024 * 1024)}\n`);
    await writeFile(join(repo, '.env.staging'), '');
    git('add', '-f', '.env', '.env.staging');
    const { refusal } = check();
    expect(refusal?.exitCode).toBe(2);
    expect(refusal?.message).toContain('  .env: the whole file (an env file is tracked');
    expect(refusal?.message).toContain('  .env.staging: the whole file (an env file is tracked');
  });
});

describe('what a commit adds', () => {
  test('an old finding already in HEAD is a warning for an unrelated commit, not a block; --all still refuses; an allow-list fingerprint accepts it', async () => {
    await writeFile(join(repo, 'old.postman_environment.json'), JSON.stringify(environmentExport(), null, 2));
    git('add', '.');
    git('commit', '-qm', 'old leak', '--no-verify');
    await writeFile(join(repo, 'notes.md'), 'unrelated\n');
    git('add', 'notes.md');
    const staged = check();
    expect(staged.refusal).toBeUndefined();
    expect(staged.warning).toContain('Warning: 2 findings already committed');
    const all = check(true);
    expect(all.refusal?.exitCode).toBe(2);
    const fingerprints = [...(all.refusal?.message ?? '').matchAll(/\[(old\.postman_environment\.json:[^\]]+)\]/g)].map((m) => m[1]);
    expect(fingerprints).toHaveLength(2);
    await writeFile(join(repo, '.secretsignore'), `# accepted: a test fixture\n${fingerprints.join('\n')}\n`);
    expect(check(true).refusal).toBeUndefined();
  });

  test('a new secret in a file HEAD already has is refused', async () => {
    await writeFile(join(repo, 'team.postman_environment.json'), JSON.stringify({ ...environmentExport(), values: [] }, null, 2));
    git('add', '.');
    git('commit', '-qm', 'clean');
    await writeFile(join(repo, 'team.postman_environment.json'), JSON.stringify(environmentExport(), null, 2));
    git('add', '.');
    expect(check().refusal?.exitCode).toBe(2);
  });
});

describe('hostile and odd Postman files (F7, F8)', () => {
  test('hostile JSON gives findings naming the file, never a throw; sanitize refuses the unreadable one and takes the rest; a UTF-16 environment is scanned', async () => {
    const files: Record<string, string | Buffer> = {
      'a.postman_environment.json': '{"name":"t","values":[null]}',
      'b.postman_collection.json': '{"info":{},"item":[null]}',
      'c.postman_collection.json': `{"info":{},"item":${'[{"item":'.repeat(20_000)}[]${'}]'.repeat(20_000)}}`,
      'ps.postman_environment.json': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(environmentExport(), null, 2), 'utf16le')]),
    };
    for (const [name, content] of Object.entries(files)) await writeFile(join(repo, name), content);
    git('add', '.');
    const { refusal } = check();
    expect(refusal?.exitCode).toBe(2);
    expect(refusal?.message).toContain('c.postman_collection.json: the whole file (cannot be scanned as a Postman or Newman file: it nests deeper than');
    expect(refusal?.message).toContain('ps.postman_environment.json: values["client_secret"]');

    let error: unknown;
    try {
      readForSanitize(Buffer.from(files['c.postman_collection.json'] as string), 'c.postman_collection.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toContain('c.postman_collection.json cannot be sanitized');
    for (const name of ['a.postman_environment.json', 'b.postman_collection.json']) {
      const read = readForSanitize(Buffer.from(files[name] as string), name);
      expect(() => sanitizeParsed(read.parsed, read.text, read.kind, { file: name, own: new Map(), clientIds: new Set() })).not.toThrow();
    }
  });

  test('sanitize refuses a JSON file that is not a Postman or Newman file (exit 2), before writing anything', () => {
    expect(() => readForSanitize(Buffer.from('{"name":"x"}'), 'package.json')).toThrow(/package\.json is not a Postman or Newman file/);
  });

  test('sanitize is idempotent: its output sanitizes to the same text', async () => {
    const ctx = { file: 'ana.postman_environment.json', own: new Map<string, string>(), clientIds: new Set<string>() };
    for (const text of [JSON.stringify(environmentExport(), null, '\t'), JSON.stringify(await collectionExport(), null, '\t')]) {
      const first = readForSanitize(Buffer.from(text), 'f');
      const once = sanitizeParsed(first.parsed, first.text, first.kind, ctx).text;
      const second = readForSanitize(Buffer.from(once), 'f');
      const twice = sanitizeParsed(second.parsed, second.text, second.kind, ctx);
      expect(twice.findings).toEqual([]);
      expect(twice.text).toBe(once);
    }
  });
});

describe('the pre-commit hook', () => {
  test('a hook that is not ours is left alone: exit 2 hook_exists, the file unchanged', async () => {
    await writeFile(join(repo, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\necho mine\n');
    await expect(installHook(repo)).rejects.toMatchObject({ code: 'hook_exists', exitCode: 2 });
    expect(await readFile(join(repo, '.git', 'hooks', 'pre-commit'), 'utf8')).toBe('#!/bin/sh\necho mine\n');
  });

  test('a tracked core.hooksPath folder gets an executable hook with relative commands only (no machine paths)', async () => {
    git('config', 'core.hooksPath', '.githooks');
    // No tool installed in this repository: the hook would refuse every commit, and says so.
    expect(await installHook(repo)).toEqual({ path: join('.githooks', 'pre-commit'), done: 'installed', toolMissing: repo });
    const hook = await readFile(join(repo, '.githooks', 'pre-commit'), 'utf8');
    expect(hook).toBe(`#!/bin/sh\n${HOOK_BLOCK}`); // the body the .git/hooks hook runs in e2e
    for (const machinePath of [PACKAGE_ROOT, process.execPath, repo]) expect(hook).not.toContain(machinePath);
    expect((await stat(join(repo, '.githooks', 'pre-commit'))).mode & 0o111).toBe(0o111);
  });

  /** The hook's own lines, run by sh in the work tree as git runs them. */
  const runHook = () => spawnSync('sh', ['-c', HOOK_BLOCK], { cwd: repo, encoding: 'utf8' });

  test('with no node_modules (the tool not installed), it fails closed, saying how to fix it and that --no-verify is the bypass', () => {
    const refused = runHook();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('npm install');
    expect(refused.stderr).toContain('--no-verify');
  });

  test('in this project\'s own clone, a build without node_modules fails closed too', async () => {
    await writeFile(join(repo, 'package.json'), JSON.stringify({ name: 'dribbble-oauth' }, null, 2));
    await mkdir(join(repo, 'dist'));
    await symlink(join(PACKAGE_ROOT, 'dist', 'cli.js'), join(repo, 'dist', 'cli.js'));
    const refused = runHook();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('check-secrets cannot run');
  });
});

describe('--export-environment', () => {
  const saved = process.env.XDG_STATE_HOME;
  afterEach(() => {
    if (saved === undefined) delete process.env.XDG_STATE_HOME;
    else process.env.XDG_STATE_HOME = saved;
  });

  test('a path inside the work tree that git does not ignore is refused before any request (exit 2), naming .gitignore', async () => {
    process.env.XDG_STATE_HOME = join(repo, 'state'); // where a token would be rescued: checked too, kept out of $HOME
    await mkdir(join(repo, 'environments'));
    const config = { values: {}, sources: {}, envFilePath: join(repo, '.env.local-test'), envFileExists: false };
    let error: unknown;
    try {
      checkSaveTargets(config, { save: true, exportEnvironment: join(repo, 'environments', 'bea.postman_environment.json') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('unignored_secret_file');
    expect((error as UsageError).message).toContain('.gitignore');
  });
});
