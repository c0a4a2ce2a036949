// npm run profiles: the env files of this folder, one per profile (.env is the default), with
// what each holds, secrets masked. `--profile NAME` selects .env.NAME for every command.
import { readdir, readFile } from 'node:fs/promises';
import { parse as parseDotenv } from 'dotenv';
import { parseFlags } from '../lib/cli/cli-flags.js';
import { runCommand } from '../lib/cli/command-output.js';
import { maskSecret } from '../lib/core/redaction.js';
import { showUntrusted } from '../lib/core/terminal-text.js';
import { VARIABLES } from '../lib/config/variables.js';

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags(argv, 'profiles', 'Lists the profiles of this folder (.env and .env.NAME files) and what each holds, secrets masked. Select one with --profile NAME on any command.');
  await runCommand(flags.json, async (out) => {
    const names = (await readdir('.')).filter((n) => (n === '.env' || /^\.env\.[A-Za-z0-9][A-Za-z0-9_-]*$/.test(n)) && n !== '.env.example').sort();
    const profiles = [];
    for (const file of names) {
      const profile = file === '.env' ? '(default)' : file.slice('.env.'.length);
      let values: Record<string, string> = {};
      let problem: string | undefined;
      try {
        values = parseDotenv(await readFile(file));
      } catch (error) {
        problem = (error as NodeJS.ErrnoException).code ?? 'unreadable';
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
