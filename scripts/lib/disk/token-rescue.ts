// The last route for a token that was minted but could not be saved where asked: a 0600 file in
// the state folder (or the system temporary folder), named in the message. A code is single use,
// so a token lost here could not be had again without a new authorization.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stateFolder } from './state-folder.js';

/** Writes the token to a new 0600 file; returns its path, or undefined if no folder took it. */
export function rescueToken(accessToken: string): string | undefined {
  const name = `rescued-token-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.env`;
  for (const folder of [stateFolder(), join(tmpdir(), `dribbble-oauth-${process.getuid?.() ?? 'user'}`)]) {
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      const path = join(folder, name);
      writeFileSync(path, `# Minted by dribbble-oauth but not saved where asked. Copy the line below into your env file, then delete this file.\nDRIBBBLE_ACCESS_TOKEN=${accessToken}\n`, { mode: 0o600, flag: 'wx' });
      return path;
    } catch {
      // try the next folder
    }
  }
  return undefined;
}
