// What git said when it failed (lib/disk/git-answer.ts), as one escaped line for a message.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { whatGitSaid } from '../../scripts/lib/disk/git-answer.js';

const failure = (stderr: string | Buffer | undefined, message = 'Command failed: git') => Object.assign(new Error(message), { stderr });

describe('whatGitSaid', () => {
  test('no git: said so', () => {
    expect(whatGitSaid(Object.assign(new Error('spawnSync git ENOENT'), { code: 'ENOENT' }))).toBe('git is not installed or not on PATH');
  });

  test('from the fatal: or error: line on, joined; trace lines and blank lines left out', () => {
    expect(whatGitSaid(failure(Buffer.from("hint: x\n12:00:00.1 git.c:463 trace: built-in: git config\nfatal: bad config line 6 in file .git/config\n\n  more\n")))).toBe('fatal: bad config line 6 in file .git/config more');
    expect(whatGitSaid(failure('warning: only a warning\n'))).toBe('warning: only a warning');
    expect(whatGitSaid(failure('12:00:00.1 git.c:463 trace: built-in: git rev-parse\nwarning: no fatal line\n12:00:00.2 run-command.c:659 trace2: exit\n'))).toBe('warning: no fatal line');
    expect(whatGitSaid(failure('error: x\n'))).toBe('error: x');
  });

  test('nothing on stderr: the error\'s own message', () => {
    expect(whatGitSaid(failure(undefined, 'spawnSync git ETIMEDOUT'))).toBe('spawnSync git ETIMEDOUT');
    expect(whatGitSaid(failure('\n \n', 'Command failed: git x'))).toBe('Command failed: git x');
  });

  test('any stderr: one line of at most 401 characters, no control character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (stderr) => {
        const said = whatGitSaid(failure(stderr));
        expect(said).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        expect([...said.replace(/\\u\{[0-9a-f]+\}|\\x[0-9a-f]{2}|\\[a-z]/g, '?')].length).toBeLessThanOrEqual(401);
      }),
    );
  });
});
