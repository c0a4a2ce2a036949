// Authorizations started by `authorize` and not yet exchanged: their state and PKCE verifier,
// kept outside the project (mode 0600) until the code could have expired, so that a later
// `exchange --code <pasted URL>` can check the state and send the verifier.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallbackInput } from './callback-input.js';
import { ServerRefusedError } from '../core/errors.js';
import { withFileLock, writeFileAtomic } from '../disk/secret-file-store.js';
import { stateFolder } from '../disk/state-folder.js';

export interface PendingAuthorization {
  state: string;
  clientId: string;
  redirectUri: string;
  codeVerifier?: string;
  createdAt: number;
}

/** Codes expire after about 10 minutes; so does what was kept to exchange them. */
export const PENDING_LIFETIME_MS = 10 * 60 * 1000;

export function pendingAuthorizationsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateFolder(env), 'pending-authorizations.json');
}

async function readAll(path: string): Promise<PendingAuthorization[]> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return Array.isArray(parsed) ? (parsed as PendingAuthorization[]) : [];
  } catch {
    return [];
  }
}

async function update(mutate: (all: PendingAuthorization[]) => PendingAuthorization[]): Promise<void> {
  const path = pendingAuthorizationsPath();
  await withFileLock(path, async () => {
    await writeFileAtomic(path, `${JSON.stringify(mutate(await readAll(path)), null, 2)}\n`);
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
  return readAll(pendingAuthorizationsPath());
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
      `The callback URL's state does not match any authorization started by "npm run authorize" on this machine${callback.returnedTo ? ` (it came back to ${callback.returnedTo})` : ''}, so it may belong to another app or another attempt. Run "npm run authorize" again; if you started this authorization yourself (in Postman or by hand), pass only the code: --code <code>.`,
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
      `The callback URL belongs to an authorization started for client ID ${entry.clientId} with redirect URI ${entry.redirectUri}, but this exchange uses client ID ${clientId} with redirect URI ${redirectUri}. Use the same app's settings, or authorize again.`,
    );
  }
  return entry;
}
