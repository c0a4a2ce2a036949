// Profiles as whoami (and every command) resolves them: --profile or DRIBBBLE_PROFILE selects
// .env.NAME in the folder, each profile keeps its own values, and a bad selection is exit 2 with
// its own code. The e2e team-sharing profiles run keeps init, exchange and the profiles listing.
import { mkdtemp, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { CommonFlags } from '../../scripts/lib/cli/cli-flags.js';
import { UsageError } from '../../scripts/lib/core/errors.js';
import { requireValue, resolveConfig } from '../../scripts/lib/config/config-resolution.js';
import { refusalOf } from '../support/refusals.js';

const flags = (more: Partial<CommonFlags> = {}): CommonFlags => ({ json: false, save: true, open: true, showToken: false, allowInsecureTls: false, ...more });
let dir: string;

beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'profile-selection-')));
  await writeFile(join(dir, '.env.staging'), 'DRIBBBLE_CLIENT_ID=staging-app\nDRIBBBLE_ACCESS_TOKEN=Staging-t0ken-0123456789abcdefghij\n');
  await writeFile(join(dir, '.env.production'), 'DRIBBBLE_CLIENT_ID=production-app\n');
  // Profiles are the env files of the working folder (workers cannot chdir; path.resolve asks process.cwd()).
  vi.spyOn(process, 'cwd').mockReturnValue(dir);
});
afterEach(() => vi.restoreAllMocks());

const refusal = (run: () => unknown) => refusalOf(run, UsageError);

describe('the selected profile\'s own env file', () => {
  test('DRIBBBLE_PROFILE=staging reads .env.staging: its token, not another profile\'s', () => {
    const config = resolveConfig(flags(), { DRIBBBLE_PROFILE: 'staging' });
    expect(config.envFilePath).toBe(join(dir, '.env.staging'));
    expect(config.values.access_token).toBe('Staging-t0ken-0123456789abcdefghij');
    expect(config.values.client_id).toBe('staging-app');
  });

  test('--profile production has no token: whoami\'s requirement is exit 2 naming DRIBBBLE_ACCESS_TOKEN', () => {
    const config = resolveConfig(flags({ profile: 'production' }), {});
    expect(config.values.client_id).toBe('production-app');
    const error = refusal(() => requireValue(config, 'access_token', 'Get one with "npm run authorize".'));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('DRIBBBLE_ACCESS_TOKEN');
  });
});

describe('a bad selection is exit 2 with its own code', () => {
  test.each([
    [{ profile: '../etc' }, 'invalid_profile'],
    [{ profile: '../../etc/x' }, 'invalid_profile'],
    [{ profile: 'example' }, 'invalid_profile'],
    [{ profile: 'staging', envFile: 'x.env' }, 'invalid_flags'],
    [{ profile: 'missing' }, 'unreadable_env_file'],
  ])('%j: %s', (more, code) => {
    const error = refusal(() => resolveConfig(flags(more), {}));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe(code);
  });
});
