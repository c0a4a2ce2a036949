// npm run generate [-- --check]: writes the collection, environments, .env.example and the OpenAPI document from the typed sources.
import { resolve } from 'node:path';
import { commonFlagsExcept, parseFlags } from '../lib/cli/cli-flags.js';
import { runCommand } from '../lib/cli/command-output.js';
import { UsageError } from '../lib/core/errors.js';
import { entryAt } from '../lib/core/user-file.js';
import { showUntrusted } from '../lib/core/terminal-text.js';
import { PACKAGE_ROOT } from '../lib/postman/collection-files.js';
import { findStaleFiles, writeGeneratedFiles } from '../lib/postman/generated-files.js';

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags<{ check: boolean; root?: string }>(argv, 'generate', 'Writes the Postman collection, environments and OpenAPI document from the typed definitions.', {
    check: { type: 'boolean', default: false, describe: 'Write nothing; fail if a committed file is stale' },
    root: { type: 'string', describe: 'Project folder to write into (default: this package)' },
  }, { ignores: commonFlagsExcept('json') });
  await runCommand(flags.json, async (out) => {
    const root = flags.root !== undefined ? resolve(flags.root) : PACKAGE_ROOT;
    // A --root that is no folder would make every file "stale" (or be made by the write): a typo,
    // or an unset $VAR in a script (--root "").
    if (flags.root !== undefined && (!flags.root.trim() || !entryAt(root)?.isDirectory())) {
      throw new UsageError('invalid_root', `--root "${showUntrusted(flags.root)}" is not a folder. Name the project folder to write into (it holds collections/ and environments/), or leave out --root for this package.`);
    }
    if (flags.check) {
      const stale = (await findStaleFiles(root)).map((f) => f.path);
      if (stale.length) {
        throw new UsageError('stale_generated_files', `Stale generated file${stale.length > 1 ? 's' : ''}: ${stale.join(', ')} differ${stale.length > 1 ? '' : 's'} from what the definitions in scripts/lib produce. Run "npm run generate" and commit the result.`);
      }
      out.line('Generated files are up to date.');
      return { stale };
    }
    const written = await writeGeneratedFiles(root);
    out.line(written.length ? written.map((p) => `wrote ${p}`).join('\n') : 'Generated files are up to date; nothing written.');
    return { written };
  });
}
