// npm run profiles: the env files of this folder, one per profile (.env is the default), with
// what each holds, secrets masked. `--profile NAME` selects .env.NAME for every command.
import { readdir } from 'node:fs/promises';
import { readRegularFile } from '../lib/core/user-file.js';
import { parse as parseDotenv } from 'dotenv';
import { commonFlagsExcept, parseFlags } from '../lib/cli/cli-flags.js';
import { runCommand } from '../lib/cli/command-output.js';
import { maskSecret } from '../lib/core/redaction.js';
import { showUntrusted } from '../lib/core/terminal-text.js';
import { VARIABLES } from '../lib/config/variables.js';
import { envFilePathFor } from '../lib/config/config-resolution.js';
import { isProfileEnvFile, profileOfFile } from '../lib/secrets/env-files.js';
import { basename } from 'node:path';

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags(argv, 'profiles', 'Lists the profiles of this folder (.env and .env.NAME files) and what each holds, secrets masked. Select one with --profile NAME on any command.', {}, { ignores: commonFlagsExcept('profile', 'json') });
  await runCommand(flags.json, async (out) => {
    // --profile (or DRIBBBLE_PROFILE) is checked like everywhere else, and narrows the list to it.
    const only = flags.profile !== undefined || process.env.DRIBBBLE_PROFILE ? basename(envFilePathFor(flags)) : undefined;
    const names = (await readdir('.')).filter((n) => isProfileEnvFile(n) && (only === undefined || n === only)).sort();
    const profiles = [];
    for (const file of names) {
      const profile = profileOfFile(file);
      let values: Record<string, string> = {};
      let problem: string | undefined;
      try {
        // A FIFO or a folder named .env.x is reported, never waited on.
        values = parseDotenv(readRegularFile(file, { what: file, remedy: '', maxBytes: 1024 * 1024 }));
      } catch (error) {
        problem = (error as Error).message.replace(/^Cannot read [^:]*: /, '').replace(/\. $/, '');
      }
      const shown = Object.fromEntries(
        VARIABLES.filter((v) => v.envName && values[v.envName])
          .map((v) => [v.envName!, v.secret ? maskSecret(values[v.envName!]!) : showUntrusted(values[v.envName!]!)]),
      );
      profiles.push({ profile, file, ...(problem ? { problem } : {}), values: shown });
    }
    if (!profiles.length) out.line('No profiles here yet: "npm run init" writes .env, "npm run init -- --profile NAME" writes .env.NAME.');
    for (const p of profiles) {
      out.line(`${p.profile === '(default)' ? 'default' : p.profile}  (${p.file})${p.problem ? `  unreadable: ${p.problem}` : ''}`);
      const entries = Object.entries(p.values);
      if (!entries.length && !p.problem) out.line('  (no DRIBBBLE_* values)');
      for (const [key, value] of entries) out.line(`  ${key.padEnd(24)} ${value}`);
    }
    return { profiles };
  });
}
