// `init` without a terminal: every answer from flags or the DRIBBBLE_* variables its message names,
// .env written 0600 keeping what was there. What it checks and prints is tested in process
// (test/unit/app-registration.test.ts); here, whole runs write (or do not write) the file.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, makeTempDir, readTree, runCli } from './helpers.js';

const SECRET = 'init-secret-value-0123456789abcdefgh';

describe('init', () => {
  it('takes answers from a flag and from the DRIBBBLE_* variables, writes them into .env (0600), keeps other lines, prints what to register', async () => {
    const dir = await makeTempDir();
    await writeFile(join(dir, '.env'), '# mine\nOTHER=keep\nDRIBBBLE_CLIENT_ID=old\n');
    const result = await runCli(['init', '--client-id', 'my-id'], {
      cwd: dir,
      env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: SECRET, DRIBBBLE_REDIRECT_URI: 'http://127.0.0.1:8738/auth/dribbble/callback' }),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe(
      `# mine\nOTHER=keep\nDRIBBBLE_CLIENT_ID=my-id\nDRIBBBLE_CLIENT_SECRET=${SECRET}\nDRIBBBLE_REDIRECT_URI=http://127.0.0.1:8738/auth/dribbble/callback\n`,
    );
    expect((await stat(join(dir, '.env'))).mode & 0o777).toBe(0o600);
    expect(result.stdout).toContain('https://dribbble.com/account/applications/new');
    expect(result.stdout).toMatch(/Callback URL +http:\/\/127\.0\.0\.1:8738\/auth\/dribbble\/callback/);
    expect(result.stdout).toContain('catches the redirect itself on port 8738');
    expect(result.stdout).toContain('Next: npm run authorize');
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('without a terminal, a missing answer is exit 2 naming its flag and variable, and nothing is written', async () => {
    const dir = await makeTempDir();
    const result = await runCli(['init', '--redirect-uri', 'http://127.0.0.1:8738/cb', '--client-id', 'i'], { cwd: dir, env: cliEnv(dir) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--client-secret');
    expect(result.stderr).toContain('DRIBBBLE_CLIENT_SECRET');
    expect(await readTree(dir)).toEqual([]);
  });
});
