// The committed collection, environments, .env.example and OpenAPI document are exactly what the
// typed source renders (what `generate --check` promises, here in process): any change to the
// source that changes a script, an example or a variable shows up as a diff to review and commit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { UsageError } from '../../scripts/lib/core/errors.js';
import { findStaleFiles, renderGeneratedFiles, writeGeneratedFiles } from '../../scripts/lib/postman/generated-files.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const files = renderGeneratedFiles();

describe('the committed generated files', () => {
  test('are five: collection, two environments, .env.example, OpenAPI', () => {
    expect(files.map((f) => f.path).sort()).toEqual([
      '.env.example',
      'collections/dribbble-oauth.postman_collection.json',
      'environments/dribbble.postman_environment.json',
      'environments/mock.postman_environment.json',
      'openapi/dribbble-v2.openapi.json',
    ]);
  });

  test.each(files.map((f) => [f.path, f] as const))('%s is byte for byte what the source renders', (path, file) => {
    expect(readFileSync(join(ROOT, path), 'utf8') === file.content, `${path} is stale: run npm run generate, review the diff, commit it`).toBe(true);
  });

  test('rendering twice gives the same bytes', () => {
    expect(renderGeneratedFiles()).toEqual(files);
  });

  // Audit class: every file under a user's folder goes through the user-file gate.
  test('findStaleFiles under another root: none when written, each missing one, and a FIFO in a file\'s place is stale at once, never a hang', async () => {
    const root = mkdtempSync(join(tmpdir(), 'generated-'));
    expect((await findStaleFiles(root)).map((f) => f.path)).toEqual(files.map((f) => f.path));
    await writeGeneratedFiles(root);
    expect(await findStaleFiles(root)).toEqual([]);
    rmSync(join(root, '.env.example'));
    spawnSync('mkfifo', [join(root, '.env.example')]);
    expect((await findStaleFiles(root)).map((f) => f.path)).toEqual(['.env.example']);
  });

  // Audit: generate (writing) blocked for ever on a FIFO in a file's place, and was an internal error on a folder.
  test('writing under another root: a named pipe, a folder or a symlink in a file\'s place, or a file in a folder\'s, is exit 2 before anything is written', async () => {
    const cases: Array<[string, (root: string) => void, string]> = [
      ['a named pipe', (root) => spawnSync('mkfifo', [join(root, '.env.example')]), 'Cannot write .env.example under ROOT: it is not a regular file, so nothing was written.'],
      ['a folder', (root) => mkdirSync(join(root, '.env.example')), 'Cannot write .env.example under ROOT: it is a folder, so nothing was written.'],
      ['a symlink', (root) => symlinkSync(join(root, 'elsewhere'), join(root, '.env.example')), 'Cannot write .env.example under ROOT: it is a symlink, so nothing was written.'],
      ['a file named collections', (root) => writeFileSync(join(root, 'collections'), ''), 'Cannot write collections/dribbble-oauth.postman_collection.json under ROOT: a file stands where a folder should be, so nothing was written.'],
    ];
    for (const [what, make, said] of cases) {
      const root = mkdtempSync(join(tmpdir(), 'generated-'));
      make(root);
      const error = (await writeGeneratedFiles(root).catch((e: unknown) => e)) as UsageError;
      expect(error, what).toMatchObject({ code: 'unwritable_generated_file', exitCode: 2 });
      expect(error.message).toBe(`${said.replace('ROOT', root)} Make it a regular file you can write (or remove it), then run generate again.`);
      expect(existsSync(join(root, 'elsewhere'))).toBe(false);
      expect(existsSync(join(root, 'openapi', 'dribbble-v2.openapi.json')), what).toBe(false);
    }
  });
});
