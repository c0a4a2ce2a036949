// npm run check-secrets [-- --all | --install-hook]: judges what the commit adds (the staged change
// against HEAD) for secrets; --all scans every tracked file (CI). Fit for a pre-commit hook, which
// --install-hook writes where the team keeps hooks.
import { dirname } from 'node:path';
import { parseFlags } from '../lib/cli/cli-flags.js';
import { runCommand } from '../lib/cli/command-output.js';
import { envFilePathFor } from '../lib/config/config-resolution.js';
import { UsageError } from '../lib/core/errors.js';
import { showUntrusted } from '../lib/core/terminal-text.js';
import { installHook } from '../lib/secrets/pre-commit-hook.js';
import { ALLOW_LIST_FILE, allowListEntry, ownValues, repositoryRoot, scanRepository, type FileFinding } from '../lib/secrets/repository-scan.js';

// Names and keys come from files: escaped, so a file name holding a newline cannot forge a line.
const show = (f: FileFinding) => `  ${showUntrusted(f.file)}: ${showUntrusted(f.where)}${f.value ? ` = ${showUntrusted(f.value)}` : ''} (${showUntrusted(f.why)}) [${showUntrusted(allowListEntry(f))}]`;

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags<{ installHook: boolean; all: boolean }>(argv, 'check-secrets', `Looks for secrets in what a commit adds (the staged change against HEAD): your own values from every env file and profile here and the process environment, filled Postman secrets, literal tokens; exits 2 naming each. A finding already in HEAD is a warning, not a refusal. Fit for a git pre-commit hook. Accept a finding by adding its [fingerprint] to ${ALLOW_LIST_FILE}.`, {
    all: { type: 'boolean', default: false, describe: 'Scan every tracked file; every finding refuses (for CI)' },
    'install-hook': { type: 'boolean', default: false, describe: 'Add this check to the pre-commit hook (husky, core.hooksPath or .git/hooks)' },
  });
  await runCommand(flags.json, async (out) => {
    const root = repositoryRoot(process.cwd());
    if (flags.installHook) {
      const hook = await installHook(root);
      out.line(`Installed in ${hook}: every commit is checked for secrets first.`);
      return { hook };
    }
    const values = ownValues([root, process.cwd(), dirname(envFilePathFor(flags))], envFilePathFor(flags));
    const { blocking, warnings, scanned } = scanRepository(root, values, flags.all);
    if (warnings.length) {
      out.line(`Warning: ${warnings.length} finding${warnings.length > 1 ? 's' : ''} already committed (not added by this commit); remove ${warnings.length > 1 ? 'them' : 'it'} when you can, or accept in ${ALLOW_LIST_FILE}:\n${warnings.map(show).join('\n')}`);
    }
    if (blocking.length) {
      throw Object.assign(
        new UsageError(
          'secrets_found',
          `${blocking.length} secret${blocking.length > 1 ? 's' : ''} in ${flags.all ? 'files git tracks' : 'what this commit adds'}:\n${blocking.map(show).join('\n')}\nRemove them before committing: "npm run sanitize -- FILE" empties the secrets of a Postman or Newman file; "git rm --cached FILE" untracks an env file or a report. A finding that is not a secret: add its [fingerprint] as a line of ${ALLOW_LIST_FILE}.`,
        ),
        { findings: blocking, warnings },
      );
    }
    out.line(`No secrets ${flags.all ? `in the ${scanned} files git tracks` : 'added by this commit'} in ${root}.`);
    return { findings: [], warnings: warnings.map(({ fix: _fix, ...shown }) => ({ ...shown, allow: allowListEntry(shown) })) };
  });
}
