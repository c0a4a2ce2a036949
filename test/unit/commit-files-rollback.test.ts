// Saves are all-or-nothing (commitFiles in lib/disk/secret-file-store.ts): when the rename of a
// later file fails, the files already renamed get their previous bytes back (or are removed when
// they did not exist), and no temporary file is left. The e2e test keeps the whole run where a
// failed save keeps the token (exit 6).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { commitFiles } from '../../scripts/lib/disk/secret-file-store.js';

let dir: string;
let savedHold: string | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'commit-files-rollback-'));
  savedHold = process.env.DRIBBBLE_OAUTH_TEST_HOLD_SAVE_MS;
  // commitFiles' test hook: it pauses with every temporary file written, before the renames.
  process.env.DRIBBBLE_OAUTH_TEST_HOLD_SAVE_MS = '300';
});
afterEach(() => {
  if (savedHold === undefined) delete process.env.DRIBBBLE_OAUTH_TEST_HOLD_SAVE_MS;
  else process.env.DRIBBBLE_OAUTH_TEST_HOLD_SAVE_MS = savedHold;
});

const temporaries = () => readdirSync(dir).filter((n) => n.endsWith('.dribbble-oauth-tmp'));

/** Commits .env and an export; once both temporary files exist, a folder with content takes the export's place, so its rename fails. */
async function commitWithSecondRenameFailing(): Promise<unknown> {
  const exportPath = join(dir, 'mine.local.postman_environment.json');
  const commit = commitFiles([{ path: join(dir, '.env'), content: 'DRIBBBLE_ACCESS_TOKEN=new\n' }, { path: exportPath, content: '{}' }]).then(
    () => undefined,
    (error: unknown) => error,
  );
  while (temporaries().length < 2) await new Promise((r) => setTimeout(r, 5));
  mkdirSync(join(exportPath, 'blocker'), { recursive: true });
  return commit;
}

describe('commitFiles when the second rename fails', () => {
  test('the first file, renamed already, gets its previous bytes back; no temporary file is left', async () => {
    const before = '# mine\r\nDRIBBBLE_ACCESS_TOKEN=old-token\r\n';
    writeFileSync(join(dir, '.env'), before);
    expect(await commitWithSecondRenameFailing()).toBeInstanceOf(Error);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['.env', 'mine.local.postman_environment.json']);
  });

  test('a first file that did not exist before is removed again', async () => {
    expect(await commitWithSecondRenameFailing()).toBeInstanceOf(Error);
    expect(readdirSync(dir)).toEqual(['mine.local.postman_environment.json']);
  });
});
