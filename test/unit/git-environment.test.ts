// git's path variables anchored where the command started (lib/disk/git-environment.ts): the
// tool runs git from other folders (the work tree's top), where a relative GIT_DIR would name
// another repository, or none.
import { describe, expect, test } from 'vitest';
import { anchorGitEnvironment } from '../../scripts/lib/disk/git-environment.js';

describe('anchorGitEnvironment', () => {
  test('GIT_DIR and GIT_WORK_TREE made absolute against the starting folder; absolute, empty, unset and every other variable left alone', () => {
    const env: NodeJS.ProcessEnv = { GIT_DIR: '.g', GIT_WORK_TREE: '..', GIT_INDEX_FILE: '.git/index', GIT_COMMON_DIR: '../common', GIT_OBJECT_DIRECTORY: 'objects', GIT_CEILING_DIRECTORIES: 'rel', HOME: 'h' };
    anchorGitEnvironment(env, '/work/repo/sub');
    // GIT_INDEX_FILE stays relative: git reads it against the work tree's top, wherever it starts.
    expect(env).toEqual({ GIT_DIR: '/work/repo/sub/.g', GIT_WORK_TREE: '/work/repo', GIT_INDEX_FILE: '.git/index', GIT_COMMON_DIR: '../common', GIT_OBJECT_DIRECTORY: 'objects', GIT_CEILING_DIRECTORIES: 'rel', HOME: 'h' });
    const kept: NodeJS.ProcessEnv = { GIT_DIR: '/abs/.git', GIT_WORK_TREE: '' };
    anchorGitEnvironment(kept, '/elsewhere');
    expect(kept).toEqual({ GIT_DIR: '/abs/.git', GIT_WORK_TREE: '' });
  });
});
