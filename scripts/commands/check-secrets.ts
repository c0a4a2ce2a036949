// npm run check-secrets [-- --install-hook]: scans what git tracks and what is staged for secrets;
// fit for a pre-commit hook, which --install-hook writes.
import { parseFlags } from '../lib/cli/cli-flags.js';
import { runCommand } from '../lib/cli/command-output.js';
import { envFilePathFor } from '../lib/config/config-resolution.js';
import { UsageError } from '../lib/core/errors.js';
import { installHook, ownSecrets, readIndex, repositoryRoot, scanFile } from '../lib/secrets/repository-scan.js';

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags<{ installHook: boolean }>(argv, 'check-secrets', 'Scans the files git tracks and has staged for secrets (your own .env values, filled Postman secrets, literal tokens); exits 2 naming each. Fit for a git pre-commit hook.', {
    'install-hook': { type: 'boolean', default: false, describe: 'Write a git pre-commit hook that runs this check' },
  });
  await runCommand(flags.json, async (out) => {
    const root = repositoryRoot(process.cwd());
    if (flags.installHook) {
      const hook = await installHook(root);
      out.line(`Installed ${hook}: every commit is checked for secrets first.`);
      return { hook };
    }
    const own = ownSecrets(envFilePathFor(flags));
    const findings = readIndex(root).flatMap((file) => scanFile(file.path, file.content, own).map((f) => ({ file: file.path, ...f })));
    if (findings.length) {
      const lines = findings.map((f) => `  ${f.file}: ${f.where}${f.value ? ` = ${f.value}` : ''} (${f.why})`);
      throw Object.assign(
        new UsageError(
          'secrets_found',
          `${findings.length} secret${findings.length > 1 ? 's' : ''} in files git tracks or has staged:\n${lines.join('\n')}\nRemove them before committing: "npm run sanitize -- FILE" empties the secrets of a Postman export; "git rm --cached FILE" untracks an env file.`,
        ),
        { findings },
      );
    }
    out.line(`No secrets in the ${root} files git tracks or has staged.`);
    return { findings: [] };
  });
}
