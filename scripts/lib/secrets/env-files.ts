// Which files of a folder are env files of a profile: .env (the default) and .env.NAME, never the
// committed template .env.example. profiles lists them; check-secrets looks for their secrets.

const PROFILE_FILE = /^\.env\.[A-Za-z0-9][A-Za-z0-9_-]*$/;

export function isProfileEnvFile(name: string): boolean {
  return name === '.env' || (PROFILE_FILE.test(name) && name !== '.env.example');
}

/** The profile a file belongs to: "(default)" for .env. */
export function profileOfFile(name: string): string {
  return name === '.env' ? '(default)' : name.slice('.env.'.length);
}
