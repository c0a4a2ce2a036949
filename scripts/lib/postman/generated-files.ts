// The committed JSON files, rendered byte-stably from the typed definitions.
import { writeFile, mkdir } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';
import { showUntrusted } from '../core/terminal-text.js';
import { entryAt, pathErrorMeaning, readRegularFileIfAny } from '../core/user-file.js';
import { dirname, join } from 'node:path';
import { buildCollection } from './collection-definition.js';
import { COLLECTION_PATH, DRIBBBLE_ENVIRONMENT_PATH, ENV_EXAMPLE_PATH, MOCK_ENVIRONMENT_PATH } from './collection-files.js';
import { VARIABLES } from '../config/variables.js';
import { buildDribbbleEnvironment, buildMockEnvironment } from './environment-definition.js';
import { renderPostmanJson } from './postman-canonical.js';
import { OPENAPI_PATH, buildOpenApi } from './openapi-definition.js';

export interface GeneratedFile {
  path: string;
  content: string;
}

/** Every key a person can set, one comment each, no values: copied to .env or written by init. */
function renderEnvExample(): string {
  const lines = ['# Copy to .env (never committed), or run "npm run init", which writes it for you.'];
  for (const v of VARIABLES) {
    if (!v.envName) continue;
    const defaultNote = v.defaultValue ? ` Default: ${v.defaultValue}.` : '';
    lines.push(`# ${v.description}${defaultNote}${v.secret ? ' A secret.' : ''}`, `${v.envName}=`);
  }
  return `${lines.join('\n')}\n`;
}

function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function renderGeneratedFiles(): GeneratedFile[] {
  return [
    { path: COLLECTION_PATH, content: renderPostmanJson(buildCollection()) },
    { path: DRIBBBLE_ENVIRONMENT_PATH, content: renderPostmanJson(buildDribbbleEnvironment()) },
    { path: MOCK_ENVIRONMENT_PATH, content: renderPostmanJson(buildMockEnvironment()) },
    { path: ENV_EXAMPLE_PATH, content: renderEnvExample() },
    { path: OPENAPI_PATH, content: renderJson(buildOpenApi()) },
  ];
}

/**
 * Writes only the files whose bytes differ; returns their paths. Each target must be a regular
 * file or nothing, checked before any is written: a FIFO there would block the write for ever, a
 * folder fail it, a symlink send it elsewhere.
 */
export async function writeGeneratedFiles(root: string): Promise<string[]> {
  const stale = await findStaleFiles(root);
  const refuse = (path: string, why: string) => new UsageError('unwritable_generated_file', `Cannot write ${path} under ${showUntrusted(root)}: ${why}. Make it a regular file you can write (or remove it), then run generate again.`);
  // Folders made first (harmless), so that a file standing in one's place stops the run before any write.
  for (const file of stale) {
    const target = join(root, file.path);
    const seen = entryAt(target, false);
    if (seen && !seen.isFile()) throw refuse(file.path, `${seen.isSymbolicLink() ? 'it is a symlink' : seen.isDirectory() ? 'it is a folder' : 'it is not a regular file'}, so nothing was written`);
    await mkdir(dirname(target), { recursive: true }).catch((error: unknown) => {
      throw refuse(file.path, `${pathErrorMeaning(error)}, so nothing was written`);
    });
  }
  for (const file of stale) {
    await writeFile(join(root, file.path), file.content).catch((error: unknown) => {
      throw refuse(file.path, pathErrorMeaning(error));
    });
  }
  return stale.map((file) => file.path);
}

export async function findStaleFiles(root: string): Promise<GeneratedFile[]> {
  const stale: GeneratedFile[] = [];
  for (const file of renderGeneratedFiles()) {
    // Through the user-file gate (under --root, any folder): a FIFO there is stale, not a hang.
    const current = readRegularFileIfAny(join(root, file.path), 64 * 1024 * 1024)?.toString('utf8');
    if (current !== file.content) stale.push(file);
  }
  return stale;
}
