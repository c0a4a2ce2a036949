// `upload`'s checks before anything is sent (prepareShotUpload), in process: each refusal is a
// usage error (exit 2) that says what to fix; the request is built only after all of them pass.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { UsageError, type DribbbleOAuthError } from '../../scripts/lib/core/errors.js';
import { prepareShotUpload } from '../../scripts/lib/api/shot-upload.js';
import { resolveConfig } from '../../scripts/lib/config/config-resolution.js';
import type { CommonFlags } from '../../scripts/lib/cli/cli-flags.js';
import { pngOfSize } from '../support/images.js';

let dir: string;
const image = (w: number, h: number) => {
  const path = join(dir, `shot-${w}x${h}.png`);
  writeFileSync(path, pngOfSize(w, h));
  return path;
};
const config = (scope?: string) => ({
  values: { api_origin: 'https://api.dribbble.com', access_token: 'Upload-t0ken-0123456789abcdefghijk', ...(scope ? { scope } : {}) },
  sources: scope ? { scope: { kind: 'process-env' as const, name: 'DRIBBBLE_SCOPE' } } : {},
  envFilePath: '/nowhere/.env',
  envFileExists: false,
});
const TAGS_13 = Array.from({ length: 13 }, (_, i) => `t${i}`).join(',');

function refusal(run: () => unknown): DribbbleOAuthError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as DribbbleOAuthError).exitCode).toBe(2);
    return error as DribbbleOAuthError;
  }
  throw new Error('accepted');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shot-upload-checks-'));
});

describe('prepareShotUpload', () => {
  test('an 800x600 PNG with a title, tags and the upload scope passes, with its facts and tags', () => {
    const ready = prepareShotUpload({ file: image(800, 600), title: 'T', tags: 'sketch, wip' }, config('public upload'));
    expect(ready.image).toMatchObject({ width: 800, height: 600, type: 'png' });
    expect(ready.tags).toEqual(['sketch', 'wip']);
  });

  test('an 801x600 PNG names the size found and the allowed ones', () => {
    expect(refusal(() => prepareShotUpload({ file: image(801, 600), title: 'Off by one' }, config('public upload'))).message).toContain('is 801x600 pixels; Dribbble takes exactly 400x300 or 800x600');
  });

  test('13 tags are refused', () => {
    expect(refusal(() => prepareShotUpload({ file: image(800, 600), title: 'T', tags: TAGS_13 }, config('public upload'))).message).toContain('13 tags; Dribbble takes at most 12');
  });

  test('no title (or a blank one) is refused', () => {
    for (const title of ['', '   ']) expect(refusal(() => prepareShotUpload({ file: image(800, 600), title }, config('public upload'))).code).toBe('missing_title');
  });

  test('a folder named as the image is refused', () => {
    refusal(() => prepareShotUpload({ file: dir, title: 'T' }, config('public upload')));
  });

  test('a token without "upload" (a scope named without it) is missing_scope, naming the scope and how to authorize', () => {
    for (const scope of ['public', 'public  profile']) {
      const error = refusal(() => prepareShotUpload({ file: image(800, 600), title: 'No scope' }, config(scope)));
      expect(error.code).toBe('missing_scope');
      expect(error.message).toContain('needs the "upload" scope');
      expect(error.message).toContain('npm run authorize -- --scope "public upload"');
      expect(error.message).not.toContain('Upload-t0ken-0123456789abcdefghijk');
    }
  });

  // Audit: `authorize --scope "public upload"` saves the token alone, and upload then refused it,
  // taking the default "public" for the token's scope. Through resolveConfig, as the command does:
  // the table's default must not count as a scope the user named.
  test('with no scope named anywhere, the scope is not guessed: the upload goes ahead and Dribbble decides', () => {
    const envFile = join(dir, '.env.upload');
    writeFileSync(envFile, 'DRIBBBLE_ACCESS_TOKEN=Upload-t0ken-0123456789abcdefghijk\n');
    const resolved = resolveConfig({ envFile } as CommonFlags, {});
    expect(resolved.values.scope).toBe('public');
    expect(prepareShotUpload({ file: image(800, 600), title: 'Scope unknown' }, resolved).image).toMatchObject({ width: 800, height: 600 });
    // Nor the "scope" row of a Postman environment: both committed ones say "public".
    const committed = resolveConfig({ envFile, environment: 'environments/dribbble.postman_environment.json' } as CommonFlags, {});
    expect(committed.sources.scope?.kind).toBe('environment');
    expect(prepareShotUpload({ file: image(800, 600), title: 'Scope unknown' }, committed).image).toMatchObject({ width: 800, height: 600 });
    const named = resolveConfig({ envFile } as CommonFlags, { DRIBBBLE_SCOPE: 'public' });
    expect(refusal(() => prepareShotUpload({ file: image(800, 600), title: 'Scope named' }, named)).message).toContain('"public" (from DRIBBBLE_SCOPE');
  });
});
