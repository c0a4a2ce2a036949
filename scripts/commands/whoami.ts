// npm run whoami: the user the saved token belongs to, via Newman's "Get authenticated user".
import { parseFlags } from '../lib/cli/cli-flags.js';
import { runCommand } from '../lib/cli/command-output.js';
import { resolveConfig } from '../lib/config/config-resolution.js';
import { sanitizeForTerminal } from '../lib/core/terminal-text.js';
import { writeStderr } from '../lib/cli/command-output.js';
import { DEFAULT_TIMEOUT_MS } from '../lib/oauth/token-exchange.js';
import { authenticatedUserResult, describeAuthenticatedUser, fetchAuthenticatedUser } from '../lib/api/user-lookup.js';

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags(argv, 'whoami', 'Shows the Dribbble user the saved access token belongs to, and the rate-limit headroom.', {}, { ignores: ['client-id', 'client-secret', 'redirect-uri', 'code', 'scope', 'oauth-url', 'save', 'open', 'show-token'] });
  await runCommand(flags.json, async (out) => {
    const found = await fetchAuthenticatedUser(resolveConfig(flags), flags.timeout ?? DEFAULT_TIMEOUT_MS, {
      maxWaitMs: flags.timeout,
      progress: (line) => writeStderr(`${sanitizeForTerminal(line)}\n`),
    });
    for (const line of describeAuthenticatedUser(found)) out.line(line);
    return authenticatedUserResult(found);
  });
}
