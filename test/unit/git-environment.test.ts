// git's path variables anchored where the command started (lib/disk/git-environment.ts): the
// tool runs git from other folders (the work tree's top), where a relative GIT_DIR would name
// another repository, or none.
import { describe, expect, test } from 'vitest';
import { anchorGitEnvironment } from '../../scripts/lib/disk/git-environment.js';

describe('anchorGitEnvironment', () => {
  test('each relative path variable made absolute against the starting folder; absolute, empty, unset and other variables left alone', () => {
    const env: NodeJS.ProcessEnv = { GIT_DIR: '.g', GIT_WORK_TREE: '..', GIT_COMMON_DIR: '../common', GIT_INDEX_FILE: '.git/index', GIT_OBJECT_DIRECTORY: 'objects', GIT_CEILING_DIRECTORIES: 'rel', HOME: 'h' };
    anchorGitEnvironment(env, '/work/repo/sub');
    expect(env).toEqual({ GIT_DIR: '/work/repo/sub/.g', GIT_WORK_TREE: '/work/repo', GIT_COMMON_DIR: '/work/repo/common', GIT_INDEX_FILE: '/work/repo/sub/.git/index', GIT_OBJECT_DIRECTORY: '/work/repo/sub/objects', GIT_CEILING_DIRECTORIES: 'rel', HOME: 'h' });
    const kept: NodeJS.ProcessEnv = { GIT_DIR: '/abs/.git', GIT_WORK_TREE: '' };
    anchorGitEnvironment(kept, '/elsewhere');
    expect(kept).toEqual({ GIT_DIR: '/abs/.git', GIT_WORK_TREE: '' });
  });
});
