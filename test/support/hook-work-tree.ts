// Work trees for the pre-commit hook's unit tests: a temporary folder, and the in-memory git
// (fake-git.ts) answering for it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeGit } from './fake-git.js';

/** A work tree with the tool installed (the hook finds it), unless `withTool` is false. */
export function workTree(hooksPath?: string, withTool = true): string {
  const root = mkdtempSync(join(tmpdir(), 'hook-'));
  fakeGit.reset({ root, index: [], hooksPath });
  if (withTool) {
    mkdirSync(join(root, 'node_modules', 'dribbble-oauth', 'dist'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'dribbble-oauth', 'dist', 'cli.js'), '');
  }
  return root;
}

/** A husky v9 setup: core.hooksPath .husky/_ holding husky's generated `h`. */
export function husky(hooksPath = '.husky/_'): string {
  const root = workTree(hooksPath);
  mkdirSync(join(root, '.husky', '_'), { recursive: true });
  writeFileSync(join(root, '.husky', '_', 'h'), '# husky\n');
  return root;
}
