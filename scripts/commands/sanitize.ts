// npm run sanitize -- FILE...: rewrites Postman and Newman files (collections, environments,
// globals, data dumps, Newman json reports) without their secrets, in the form generate writes.
// --check writes nothing and fails exactly when check-secrets would find a secret.
import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { commonFlagsExcept, parseFlags } from '../lib/cli/cli-flags.js';
import { runCommand } from '../lib/cli/command-output.js';
import { envFilePathFor } from '../lib/config/config-resolution.js';
import { UsageError } from '../lib/core/errors.js';
import { readRegularFile } from '../lib/core/user-file.js';
import { showUntrusted } from '../lib/core/terminal-text.js';
import { commitFiles } from '../lib/disk/secret-file-store.js';
import { readForSanitize, sanitizeIncompleteError, sanitizeParsed } from '../lib/secrets/postman-sanitize.js';
import { ownValues, repositoryRoot } from '../lib/secrets/repository-scan.js';
import { dirname, relative } from 'node:path';

/** A sanitized file is a shared file: far larger than any collection we know of is a mistake. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

function repositoryPathOf(path: string): string {
  try {
    const root = repositoryRoot(dirname(path));
    return relative(root, path).split('\\').join('/');
  } catch {
    return path;
  }
}

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags<{ check: boolean; _: Array<string | number> }>(argv, 'sanitize', 'Rewrites Postman and Newman files (collections, environments, globals, data dumps, Newman json reports) without their secrets: secret values emptied and typed secret, literal tokens replaced by their {{variable}}, keys in the order generate writes. Finds exactly what check-secrets finds.\n\nUsage: sanitize FILE... [--check]', {
    check: { type: 'boolean', default: false, describe: 'Write nothing; exit 2 if any file holds a secret (what check-secrets would find)' },
  }, { takesFiles: true, ignores: commonFlagsExcept('env-file', 'profile', 'json') });
  await runCommand(flags.json, async (out) => {
    const files = flags._.map(String);
    if (!files.length) throw new UsageError('missing_files', 'Name the Postman files to sanitize, for example: npm run sanitize -- environments/*.postman_environment.json');
    // The same own values check-secrets looks for: the folder, the repository's root, the env file chosen.
    let root: string | undefined;
    try {
      root = repositoryRoot(process.cwd());
    } catch {
      // outside a work tree: the folder's env files and the process environment
    }
    const { unread, ...values } = ownValues([process.cwd(), ...(root ? [root] : []), dirname(envFilePathFor(flags))], envFilePathFor(flags));
    for (const why of unread) out.line(`warning: ${why}`);
    const changes: Array<{ path: string; content: string; mode: number }> = [];
    const holding: string[] = [];
    for (const file of files) {
      const path = resolve(file);
      const shown = showUntrusted(file);
      const bytes = readRegularFile(path, { what: shown, remedy: 'Nothing was changed.', maxBytes: MAX_FILE_BYTES });
      const inRepository = repositoryPathOf(path);
      const read = readForSanitize(bytes, shown, inRepository);
      const { findings, text, left } = sanitizeParsed(read.parsed, read.text, read.kind, { file: inRepository, ...values });
      if (findings.length) holding.push(`${shown} (${findings.length} secret${findings.length > 1 ? 's' : ''}: ${findings.map((f) => showUntrusted(f.where)).join(', ')})`);
      // Checked before any file is written: a file sanitize cannot clean stops them all.
      if (left && !flags.check) throw sanitizeIncompleteError(shown, findings, left);
      if (!bytes.equals(Buffer.from(text, 'utf8'))) changes.push({ path, content: text, mode: (await stat(path)).mode & 0o777 });
    }
    if (flags.check) {
      if (holding.length) throw new UsageError('unsanitized_files', `Secrets in ${holding.join('; ')}. Run "npm run sanitize -- FILE" and commit the result.`);
      const reformat = changes.length ? ` (${changes.length} would be reformatted by sanitize, which holds no secret)` : '';
      out.line(`${files.length} file${files.length > 1 ? 's' : ''} hold${files.length > 1 ? '' : 's'} no secret${reformat}.`);
      return { changed: [], unread };
    }
    await commitFiles(changes);
    out.line(changes.length ? changes.map((c) => `sanitized ${showUntrusted(c.path)}`).join('\n') : 'Nothing to change.');
    return { changed: changes.map((c) => c.path), unread };
  });
}
