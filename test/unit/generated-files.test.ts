// The committed collection, environments, .env.example and OpenAPI document are exactly what the
// typed source renders (what `generate --check` promises, here in process): any change to the
// source that changes a script, an example or a variable shows up as a diff to review and commit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
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
});
