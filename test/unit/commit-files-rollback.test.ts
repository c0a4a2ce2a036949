// Saves are all-or-nothing (commitFiles in lib/disk/secret-file-store.ts): when the rename of a
// later file fails, the files already renamed get their previous bytes back (or are removed when
// they did not exist), and no temporary file is left. The e2e test keeps the whole run where a
// failed save keeps the token (exit 6).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { commitFiles } from '../../scripts/lib/disk/secret-file-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'commit-files-rollback-'));
});

// A folder with content where the second file should go: its rename fails (EISDIR / ENOTEMPTY).
function blockedPath(): string {
  const path = join(dir, 'mine.local.postman_environment.json');
  mkdirSync(join(path, 'blocker'), { recursive: true });
  return path;
}

describe('commitFiles when the second rename fails', () => {
  test('the first file, renamed already, gets its previous bytes back; no temporary file is left', async () => {
    const before = '# mine\r\nDRIBBBLE_ACCESS_TOKEN=old-token\r\n';
    writeFileSync(join(dir, '.env'), before);
    const exportPath = blockedPath();
    await expect(commitFiles([{ path: join(dir, '.env'), content: 'DRIBBBLE_ACCESS_TOKEN=new\n' }, { path: exportPath, content: '{}' }])).rejects.toThrow();
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['.env', 'mine.local.postman_environment.json']);
    expect(readdirSync(exportPath)).toEqual(['blocker']);
  });

  test('a first file that did not exist before is removed again', async () => {
    const exportPath = blockedPath();
    await expect(commitFiles([{ path: join(dir, '.env'), content: 'DRIBBBLE_ACCESS_TOKEN=new\n' }, { path: exportPath, content: '{}' }])).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['mine.local.postman_environment.json']);
  });
});
