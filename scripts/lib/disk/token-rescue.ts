// The last route for a token that was minted but could not be saved where asked: a 0600 file in
// the state folder, or else in a private folder under the system temporary folder, named in the
// message. A code is single use, so a token lost here could not be had again without a new
// authorization. Both folders pass the private-folder gate; a file is whole or absent.
import { createPrivateFile, folderLocation, preparePrivateFolder, type OwnerOptions } from './private-folder.js';

/** Writes the token to a new 0600 file; returns its path, or undefined if no folder took it. */
export function rescueToken(accessToken: string, env: NodeJS.ProcessEnv = process.env, options?: OwnerOptions): string | undefined {
  const name = `rescued-token-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.env`;
  const content = `# Minted by dribbble-oauth but not saved where asked. Copy the line below into your env file, then delete this file.\nDRIBBBLE_ACCESS_TOKEN=${accessToken}\n`;
  for (const kind of ['state', 'temp'] as const) {
    const folder = folderLocation(kind, env).path;
    if (preparePrivateFolder(folder, options)) continue; // not private: never written to
    try {
      return createPrivateFile(folder, name, content);
    } catch {
      // full, gone, read-only: the next folder
    }
  }
  return undefined;
}
