// vitest globalSetup: the shared Newman code caches, made once; whether the browser tests can run
// here, and a loud notice when they cannot.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TEST_CACHE_HOME } from './helpers.js';

/** The code caches every test's CLI shares, made once up front: no test waits for them or races their writer. */
function warmSharedCodeCache(): void {
  execFileSync(process.execPath, ['--', join(ROOT, 'dist', 'lib', 'newman', 'newman-cache-warmer.js')], { env: { ...process.env, XDG_CACHE_HOME: TEST_CACHE_HOME }, stdio: 'inherit' });
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function browserMissing(): boolean {
  return !existsSync(CHROMIUM);
}

function notice(when: string): void {
  if (!browserMissing() || process.env.CI) return;
  const bar = '!'.repeat(78);
  process.stderr.write(
    `\n${bar}\n${when}: the 2 browser tests in test/e2e/authorize-browser.test.ts do NOT run: no Chromium at ${CHROMIUM}.\n` +
      'They hold the only checks of the masked token field, the copy buttons and a real browser\'s handling of hostile text.\n' +
      'Get Chromium with: sudo apt-get install chromium   (or set CHROMIUM_PATH to a Chromium binary)\n' +
      `${bar}\n\n`,
  );
}

export function setup(): () => void {
  notice('Before the run');
  warmSharedCodeCache();
  return () => notice('After the run');
}
