// Audit: --export-environment through a symlink to a folder of a repository wrote a file git would
// stage: the tracking check walked the path as typed, git walks the real one.
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { findWorkTree } from '../../scripts/lib/disk/git-tracking.js';

test('findWorkTree walks the real path, as git does: a folder reached through a symlink is in its real work tree', () => {
  const top = mkdtempSync(join(tmpdir(), 'linked-'));
  mkdirSync(join(top, 'repo', '.git'), { recursive: true });
  mkdirSync(join(top, 'repo', 'sub'));
  mkdirSync(join(top, 'out'));
  symlinkSync(join(top, 'repo', 'sub'), join(top, 'out', 'link'));
  expect(findWorkTree(join(top, 'out', 'link'), '')).toBe(join(top, 'repo'));
  // A ceiling given through a symlink is its real folder, as git resolves it: no looking up into repo.
  symlinkSync(join(top, 'repo'), join(top, 'repo-link'));
  expect(findWorkTree(join(top, 'repo', 'sub'), join(top, 'repo-link'))).toBeUndefined();
});
