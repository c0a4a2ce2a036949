// What git said when it failed, as one escaped line for a message: its fatal: or error: line and
// what follows it (git's own remedy, as for "dubious ownership"), without GIT_TRACE's lines.
import { showUntrusted } from '../core/terminal-text.js';

const MOST = 400;

export function whatGitSaid(error: unknown): string {
  const { code, stderr, message } = error as NodeJS.ErrnoException & { stderr?: Buffer | string };
  if (code === 'ENOENT') return 'git is not installed or not on PATH';
  const lines = (stderr ?? '').toString().split('\n').map((line) => line.trim()).filter((line) => line && !/\btrace\d?: /.test(line));
  const first = lines.findIndex((line) => /^(fatal|error): /.test(line));
  const said = lines.slice(Math.max(first, 0)).join(' ') || message;
  return showUntrusted(said.length > MOST ? `${said.slice(0, MOST)}…` : said);
}
