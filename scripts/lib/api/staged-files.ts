// Files a request uploads: each read once through the user-file gate (a regular file, capped),
// and its checked bytes copied into a private temporary folder that is the only place Newman may
// read from. What is sent is what was checked; the folder goes when the run ends, signals included.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { readRegularFile } from '../core/user-file.js';
import { showUntrusted } from '../core/terminal-text.js';
import { cleanupOnInterrupt } from '../disk/interrupt-cleanup.js';
import { ATTACHMENT_MAX_BYTES } from '../dribbble/api-v2.js';

export interface StagedFiles {
  /** Undefined when there is nothing to stage. */
  folder?: string;
  /** Field name to the file's name inside `folder`. */
  names: Record<string, string>;
  remove(): void;
}

/** Reads a file the user named for a field, or exit 2 naming it and the flag. */
export function readUploadFile(path: string, field: string, maxBytes = ATTACHMENT_MAX_BYTES, remedy = `Point -F ${field}=@PATH at a regular file.`): Buffer {
  return readRegularFile(path, { what: `the file ${showUntrusted(path)} (for ${field})`, remedy, maxBytes, code: 'unreadable_upload' });
}

/** Stages `files` (field to path), or the bytes already read and checked in `contents`. */
export function stageFiles(files: Record<string, string>, contents: Record<string, Buffer> = {}): StagedFiles {
  const fields = [...new Set([...Object.keys(files), ...Object.keys(contents)])];
  if (!fields.length) return { names: {}, remove: () => {} };
  const bytes = Object.fromEntries(fields.map((f) => [f, contents[f] ?? readUploadFile(files[f]!, f)]));
  const folder = mkdtempSync(join(tmpdir(), 'dribbble-oauth-upload-'));
  const remove = () => rmSync(folder, { recursive: true, force: true });
  const unregister = cleanupOnInterrupt(remove);
  const names: Record<string, string> = {};
  try {
    for (const [index, field] of fields.entries()) {
      // The original's extension (Dribbble reads the type from the bytes, but a name helps), nothing else of its path.
      const ext = extname(files[field] ?? '').replace(/[^.A-Za-z0-9]/g, '').slice(0, 8);
      names[field] = `${index}-${field.replace(/[^A-Za-z0-9_-]/g, '_')}${ext}`;
      writeFileSync(join(folder, names[field]), bytes[field]!, { mode: 0o600 });
    }
  } catch (error) {
    remove();
    unregister();
    throw error;
  }
  return {
    folder,
    names,
    remove: () => {
      remove();
      unregister();
    },
  };
}
