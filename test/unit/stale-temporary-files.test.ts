// A later save removes the temporary files a dead run left (current and older naming), never a live
// run's nor anything else. The e2e temporary-files test shows it happening inside a real save.
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { removeStaleTemporaryFiles } from '../../scripts/lib/disk/secret-file-store.js';

describe('removeStaleTemporaryFiles', () => {
  test('removes a dead run\'s temporary files in both namings; keeps a live run\'s, its own and other files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stale-temporaries-'));
    // 4194999 is above Linux's largest pid (2^22): never a live process.
    const dead = ['..env.4194999-deadbeef.dribbble-oauth-tmp', '..env.4194999.deadbeef.tmp', '.mine.local.postman_environment.json.4194999-0badf00d.dribbble-oauth-tmp'];
    const kept = [
      `..env.${process.ppid}-cafebabe.dribbble-oauth-tmp`, // a live run (the parent of this one)
      `..env.${process.pid}-cafebabe.dribbble-oauth-tmp`, // this run's own
      '.env',
      'notes.4194999-deadbeef.txt',
      '..env.4194999-DEADBEEF.dribbble-oauth-tmp', // not a name we write
    ];
    for (const name of [...dead, ...kept]) await writeFile(join(dir, name), 'DRIBBBLE_CLIENT_SECRET=x\n');
    expect(removeStaleTemporaryFiles(dir).sort()).toEqual([...dead].sort());
    expect((await readdir(dir)).sort()).toEqual([...kept].sort());
  });

  test('a folder that cannot be read removes nothing and does not throw', () => {
    expect(removeStaleTemporaryFiles(join(tmpdir(), 'no-such-folder-for-stale-temporaries'))).toEqual([]);
  });
});
