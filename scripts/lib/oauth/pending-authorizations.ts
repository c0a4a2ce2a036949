// Authorizations started by `authorize` and not yet exchanged: their state and PKCE verifier,
// kept outside the project (mode 0600) until the code could have expired, so that a later
// `exchange --code <pasted URL>` can check the state and send the verifier.
import type { CallbackInput } from './callback-input.js';
import { ServerRefusedError, UsageError } from '../core/errors.js';
import { showUntrusted } from '../core/terminal-text.js';
import { showGivenUrl } from '../core/redaction.js';
import { UnsafePrivateFileError, checkPrivateFolder, privateFolder, readPrivateFile, withPrivateFileLock, writePrivateFile } from '../disk/private-folder.js';

export interface PendingAuthorization {
  state: string;
  clientId: string;
  redirectUri: string;
  codeVerifier?: string;
  createdAt: number;
}

/** Codes expire after about 10 minutes; so does what was kept to exchange them. */
export const PENDING_LIFETIME_MS = 10 * 60 * 1000;

const FILE = 'pending-authorizations.json';
// A few entries of a few hundred bytes; anything past this is not ours.
const MAX_BYTES = 1024 * 1024;

/** The entries kept in `folder` (a checked private folder); a file there that is not ours is exit 2, never read. */
function readAll(folder: string): PendingAuthorization[] {
  let bytes: Buffer | undefined;
  try {
    bytes = readPrivateFile(folder, FILE, MAX_BYTES);
  } catch (error) {
    if (!(error instanceof UnsafePrivateFileError)) throw error;
    throw new UsageError('unsafe_state_file', `Refusing to read the pending authorizations: ${showUntrusted(error.message)}, and this tool only reads files it wrote itself there. Remove it; then run "npm run authorize" again.`);
  }
  try {
    const parsed = JSON.parse(bytes?.toString('utf8') ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as PendingAuthorization[]) : [];
  } catch {
    return [];
  }
}

async function update(mutate: (all: PendingAuthorization[]) => PendingAuthorization[]): Promise<void> {
  const folder = privateFolder('state');
  await withPrivateFileLock(folder, FILE, () => {
    writePrivateFile(folder, FILE, `${JSON.stringify(mutate(readAll(folder)), null, 2)}\n`);
  });
}

export function isExpired(entry: PendingAuthorization, now = Date.now()): boolean {
  return now - entry.createdAt > PENDING_LIFETIME_MS;
}

export async function savePendingAuthorization(entry: PendingAuthorization): Promise<void> {
  // Expired entries are dropped on every write, so the file never grows.
  await update((all) => [...all.filter((e) => !isExpired(e) && e.state !== entry.state), entry]);
}

export async function removePendingAuthorization(state: string): Promise<void> {
  await update((all) => all.filter((e) => e.state !== state && !isExpired(e)));
}

export async function listPendingAuthorizations(): Promise<PendingAuthorization[]> {
  // Read without creating the folder: an exchange that fails later leaves nothing behind.
  return readAll(checkPrivateFolder('state'));
}

/**
 * The pending authorization a code belongs to. A pasted URL's state must match one that is
 * pending (else exit 3); a bare code borrows the verifier of the single live authorization
 * started for this app, if there is exactly one.
 */
export async function findPendingAuthorization(
  callback: CallbackInput,
  clientId: string,
  redirectUri: string,
  now = Date.now(),
): Promise<PendingAuthorization | undefined> {
  const all = await listPendingAuthorizations();
  if (callback.state === undefined) {
    const live = all.filter((e) => !isExpired(e, now) && e.clientId === clientId && e.redirectUri === redirectUri);
    return live.length === 1 ? live[0] : undefined;
  }
  const entry = all.find((e) => e.state === callback.state);
  if (!entry) {
    throw new ServerRefusedError(
      'state_mismatch',
      `The callback URL's state does not match any authorization started by "npm run authorize" on this machine${callback.returnedTo ? ` (it came back to ${showGivenUrl(callback.returnedTo)})` : ''}, so it may belong to another app or another attempt. Run "npm run authorize" again; if you started this authorization yourself (in Postman or by hand), pass only the code: --code <code>.`,
    );
  }
  if (isExpired(entry, now)) {
    throw new ServerRefusedError(
      'authorization_expired',
      `The authorization this callback belongs to was started ${Math.round((now - entry.createdAt) / 60000)} minutes ago; codes expire after about 10 minutes. Run "npm run authorize" again.`,
    );
  }
  if (entry.clientId !== clientId || entry.redirectUri !== redirectUri) {
    throw new ServerRefusedError(
      'state_mismatch',
      `The callback URL belongs to an authorization started for client ID ${showGivenUrl(entry.clientId)} with redirect URI ${showGivenUrl(entry.redirectUri)}, but this exchange uses client ID ${showGivenUrl(clientId)} with redirect URI ${showGivenUrl(redirectUri)}. Use the same app's settings, or authorize again.`,
    );
  }
  return entry;
}
