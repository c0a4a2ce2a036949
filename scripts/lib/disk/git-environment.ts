// git's own variables as the user's shell gave them, anchored once where the command started: a
// relative GIT_DIR or GIT_WORK_TREE means that folder's repository, and every git this tool runs,
// from whatever folder (the work tree's top, say), must mean the same one.
import { isAbsolute, resolve } from 'node:path';

const PATH_VARIABLES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY'];

/** Makes each of git's path variables in `env` absolute against `cwd`; an empty one is left alone. */
export function anchorGitEnvironment(env: NodeJS.ProcessEnv, cwd: string): void {
  for (const name of PATH_VARIABLES) {
    const value = env[name];
    if (value && !isAbsolute(value)) env[name] = resolve(cwd, value);
  }
}
