// npm run sanitize -- FILE...: rewrites Postman environments and collections exported from Postman
// without their secrets (--check: write nothing, fail if any file would change).
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseFlags } from '../lib/cli/cli-flags.js';
import { runCommand } from '../lib/cli/command-output.js';
import { UsageError } from '../lib/core/errors.js';
import { sanitizePostmanText } from '../lib/secrets/postman-sanitize.js';
import { commitFiles } from '../lib/disk/secret-file-store.js';

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags<{ check: boolean; _: Array<string | number> }>(argv, 'sanitize', 'Rewrites Postman environments and collections (as exported from Postman) without their secrets: secret values emptied and typed secret, literal auth tokens replaced by their variable, keys in this project\'s order.\n\nUsage: sanitize FILE... [--check]', {
    check: { type: 'boolean', default: false, describe: 'Write nothing; exit 2 if any file still holds secrets or is not in our order' },
  }, true);
  await runCommand(flags.json, async (out) => {
    const files = flags._.map(String);
    if (!files.length) throw new UsageError('missing_files', 'Name the Postman files to sanitize, for example: npm run sanitize -- environments/*.postman_environment.json');
    const changes: Array<{ path: string; content: string; mode: number }> = [];
    for (const file of files) {
      const path = resolve(file);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        throw new UsageError('unreadable_file', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message}. Nothing was changed.`);
      }
      const clean = sanitizePostmanText(text);
      if (clean === undefined) throw new UsageError('not_postman', `${file} is not a Postman environment or collection (JSON with "values", or with "info" and "item"). Nothing was changed.`);
      if (clean !== text) changes.push({ path, content: clean, mode: (await stat(path)).mode & 0o777 });
    }
    if (flags.check) {
      if (changes.length) throw new UsageError('unsanitized_files', `Not sanitized: ${changes.map((c) => c.path).join(', ')}. Run "npm run sanitize -- ${changes.map((c) => c.path).join(' ')}" and commit the result.`);
      out.line(`${files.length} file${files.length > 1 ? 's' : ''} already sanitized.`);
      return { changed: [] };
    }
    await commitFiles(changes);
    out.line(changes.length ? changes.map((c) => `sanitized ${c.path}`).join('\n') : 'Nothing to change.');
    return { changed: changes.map((c) => c.path) };
  });
}
