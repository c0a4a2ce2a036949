// A .git above the folders git looks in (GIT_CEILING_DIRECTORIES) is not a work tree for the
// tracking check either: git would never read it, so it cannot make a save "unknown" and refused.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { findWorkTree } from '../../scripts/lib/disk/git-tracking.js';

test('findWorkTree stops below a ceiling folder, as git does, and still finds a .git at or under it', () => {
  const top = mkdtempSync(join(tmpdir(), 'ceiling-'));
  const ceiling = join(top, 'ceiling');
  const deep = join(ceiling, 'a', 'b');
  mkdirSync(join(top, '.git'), { recursive: true });
  mkdirSync(deep, { recursive: true });
  expect(findWorkTree(deep, '')).toBe(top);
  expect(findWorkTree(deep, `relative/ignored::${ceiling}/`)).toBeUndefined();
  expect(findWorkTree(ceiling, ceiling)).toBe(top); // started in the ceiling itself, git looks above it
  mkdirSync(join(ceiling, 'a', '.git'));
  expect(findWorkTree(deep, ceiling)).toBe(join(ceiling, 'a'));
});
