// Where the tool keeps what belongs to this user and machine, never to the project: the XDG
// state folder (pending authorizations, rescued tokens).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function stateFolder(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'dribbble-oauth');
}
