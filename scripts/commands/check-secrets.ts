// npm run check-secrets [-- --all | --install-hook]: judges what the commit adds (the staged change
// against HEAD) for secrets; --all scans every tracked file (CI). Fit for a pre-commit hook, which
// --install-hook writes where the team keeps hooks.
import { dirname } from 'node:path';
import { commonFlagsExcept, parseFlags } from '../lib/cli/cli-flags.js';
import { runCommand } from '../lib/cli/command-output.js';
import { envFilePathFor } from '../lib/config/config-resolution.js';
import { describeHookInstall, installHook } from '../lib/secrets/pre-commit-hook.js';
import { ALLOW_LIST_FILE, allowListEntry, ownValues, repositoryRoot, scanRepository } from '../lib/secrets/repository-scan.js';
import { secretsFoundError, warningText } from '../lib/secrets/scan-report.js';

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags<{ installHook: boolean; all: boolean }>(argv, 'check-secrets', `Looks for secrets in what a commit adds (the staged change against HEAD): your own values from every env file and profile here and the process environment, filled Postman secrets, literal tokens; exits 2 naming each. A finding already in HEAD is a warning, not a refusal. Fit for a git pre-commit hook. Accept a finding by adding its [fingerprint] to ${ALLOW_LIST_FILE}.`, {
    all: { type: 'boolean', default: false, describe: 'Scan every tracked file; every finding refuses (for CI)' },
    'install-hook': { type: 'boolean', default: false, describe: 'Add this check to the pre-commit hook (husky, core.hooksPath or .git/hooks)' },
  }, { ignores: commonFlagsExcept('env-file', 'profile', 'json') });
  await runCommand(flags.json, async (out) => {
    const root = repositoryRoot(process.cwd());
    if (flags.installHook) {
      const install = await installHook(root);
      const { line, warning } = describeHookInstall(install);
      for (const said of [line, warning]) if (said) out.line(said);
      // runs: whether git runs the block (a script cannot read that from the warning's words).
      return { hook: install.path, done: install.done, runs: !install.neverRuns, ...(install.neverRuns ? { why: install.neverRuns } : {}), ...(warning ? { warning } : {}) };
    }
    const values = ownValues([root, process.cwd(), dirname(envFilePathFor(flags))], envFilePathFor(flags));
    for (const why of values.unread) out.line(`warning: ${why}`);
    const scan = scanRepository(root, values, flags.all);
    const { warnings, scanned } = scan;
    const warning = warningText(warnings);
    if (warning) out.line(warning);
    const refusal = secretsFoundError(scan, flags.all);
    if (refusal) throw refusal;
    out.line(`No secrets ${flags.all ? `in the ${scanned} files git tracks` : 'added by this commit'} in ${root}.`);
    return { findings: [], warnings: warnings.map(({ fix: _fix, ...shown }) => ({ ...shown, allow: allowListEntry(shown) })), unread: values.unread };
  });
}
