// `dribbble-oauth <command> [flags]`: dispatches to the command's module, which it loads only then.
import { anchorGitEnvironment } from './lib/disk/git-environment.js';

type Command = { run(argv: string[]): Promise<void> };

// Literal imports, so that the install-time bundle (build-bundles.ts) can follow them.
const LOADERS: Record<string, () => Promise<Command>> = {
  generate: () => import('./commands/generate.js'),
  init: () => import('./commands/init.js'),
  authorize: () => import('./commands/authorize.js'),
  exchange: () => import('./commands/exchange.js'),
  whoami: () => import('./commands/whoami.js'),
  mock: () => import('./commands/mock.js'),
  demo: () => import('./commands/demo.js'),
  bench: () => import('./commands/bench.js'),
  'check-secrets': () => import('./commands/check-secrets.js'),
  sanitize: () => import('./commands/sanitize.js'),
  profiles: () => import('./commands/profiles.js'),
  api: () => import('./commands/api.js'),
  upload: () => import('./commands/upload.js'),
};

const COMMANDS: Record<string, string> = {
  generate: 'writes the Postman collection and environments (--check: fail if stale)',
  init: 'asks for client ID, secret and callback URL; writes .env',
  authorize: 'opens the consent page, catches the redirect, exchanges the code, saves the token',
  exchange: 'exchanges a code (or the callback URL) for a token with Newman; saves it',
  whoami: 'shows the user the saved token belongs to',
  mock: 'starts the bundled Dribbble-like server',
  demo: 'runs the whole flow against the bundled mock, offline',
  bench: 'measures exchange against bare Newman and fetch, and api against whoami',
  'check-secrets': 'scans tracked and staged files for secrets (--install-hook: as a git pre-commit hook)',
  sanitize: 'rewrites Postman exports without their secrets (--check: fail if any holds one)',
  profiles: 'lists the profiles (.env, .env.NAME) and what each holds, secrets masked',
  api: 'runs any API v2 request with the saved token (-f key=value, -F field=@file, --paginate)',
  upload: 'uploads a shot: checks the image and scope first, waits until it is processed',
};

export async function main([command, ...rest]: string[]): Promise<void> {
  if (!command || command === '--help' || command === '-h' || !(command in COMMANDS)) {
    const list = Object.entries(COMMANDS).map(([name, what]) => `  ${name.padEnd(13)} ${what}`).join('\n');
    const stream = command && command !== '--help' && command !== '-h' ? process.stderr : process.stdout;
    if (stream === process.stderr) stream.write(`error [unknown_command]: "${command}" is not a command.\n\n`);
    stream.write(`Usage: dribbble-oauth <command> [flags]   (each command has --help)\n\n${list}\n`);
    process.exitCode = stream === process.stderr ? 2 : 0;
    return;
  }
  anchorGitEnvironment(process.env, process.cwd());
  const module = await LOADERS[command]!();
  try {
    await module.run(rest);
  } catch (error) {
    // Flag parsing fails before a command's own handler: report it the same way.
    const { reportFailure } = await import('./lib/cli/command-output.js');
    reportFailure(error, rest.includes('--json'));
  }
}
