// `generate` as a whole run: --check's exit and message on a stale file, and the files it writes.
// (The generated JSON itself: test/unit/collection-files-load.test.ts, valid and loadable; test/unit/generated-files.test.ts, byte-stable and current.)
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLECTION_PATH, MOCK_ENVIRONMENT_PATH } from '../../scripts/lib/postman/collection-files.js';
import { renderGeneratedFiles } from '../../scripts/lib/postman/generated-files.js';
import { makeTempDir, runCli } from './helpers.js';

describe('generate', () => {
  it('--check fails (exit 2) naming only the stale file, in a paragraph; generate rewrites just that file, as rendered, and --check then passes (exit 0)', async () => {
    const dir = await makeTempDir();
    // The project as `generate` would leave it, then one file edited by hand.
    for (const file of renderGeneratedFiles()) {
      await mkdir(dirname(join(dir, file.path)), { recursive: true });
      await writeFile(join(dir, file.path), file.path === COLLECTION_PATH ? file.content.replace('"name": "Authorize"', '"name": "Authorise"') : file.content);
    }
    const stale = await runCli(['generate', '--check', '--root', dir], { cwd: dir });
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain(COLLECTION_PATH);
    expect(stale.stderr).not.toContain(MOCK_ENVIRONMENT_PATH);
    expect(stale.stderr).not.toMatch(/\n\s+at /); // a paragraph, not a stack trace
    const repaired = await runCli(['generate', '--root', dir], { cwd: dir });
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(repaired.stdout.trim()).toBe(`wrote ${COLLECTION_PATH}`);
    for (const file of renderGeneratedFiles()) expect(await readFile(join(dir, file.path), 'utf8'), file.path).toBe(file.content);
    const current = await runCli(['generate', '--check', '--root', dir], { cwd: dir });
    expect(current.code, current.stderr).toBe(0);
  });
});
