// GIT_DIR and GIT_WORK_TREE as the user's shell gave them, anchored once where the command started:
// git reads them relative to the folder it starts in, and this tool runs git from other folders
// (the work tree's top), where a relative one would name another repository, or none. Not
// GIT_INDEX_FILE: git reads that one relative to the work tree's top, wherever it starts (a hook
// gets .git/index), so anchoring it to a subfolder would name an index that is not there: an empty
// one, which hides every staged file.
import { isAbsolute, resolve } from 'node:path';

const PATH_VARIABLES = ['GIT_DIR', 'GIT_WORK_TREE'];

/** Makes GIT_DIR and GIT_WORK_TREE in `env` absolute against `cwd`; an empty one is left alone. */
export function anchorGitEnvironment(env: NodeJS.ProcessEnv, cwd: string): void {
  for (const name of PATH_VARIABLES) {
    const value = env[name];
    if (value && !isAbsolute(value)) env[name] = resolve(cwd, value);
  }
}
