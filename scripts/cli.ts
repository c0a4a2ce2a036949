#!/usr/bin/env -S node --
// The one binary: `dribbble-oauth <command> [flags]`. `node --` everywhere: Node 20 otherwise
// takes our --env-file flag for its own and exits 9.
// It runs the install-time bundle of the CLI (one file: no resolving of ~100 modules, yargs
// included), or the compiled modules when no bundle was built.
const BUNDLE = './lib/cli/cli.bundle.mjs';
// A working folder deleted under the shell: yargs asks for it while loading and would die with a
// stack trace; say what happened instead (exit 2, a usage problem).
try {
  process.cwd();
} catch {
  // The compiled modules, not the bundle (which loads yargs): the error goes the way of every other.
  const [{ reportFailure }, { UsageError }] = await Promise.all([import('./lib/cli/command-output.js'), import('./lib/core/errors.js')]);
  reportFailure(new UsageError('no_working_folder', 'The folder this command was started in no longer exists (it was deleted or moved). cd into an existing folder, then run the command again.'), process.argv.includes('--json'));
  process.exit();
}
type Main = { main(argv: string[]): Promise<void> };
const { main } = await (import(BUNDLE) as Promise<Main>).catch((error: NodeJS.ErrnoException) => {
  if (error.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('cli.bundle.mjs')) throw error;
  return import('./dispatch.js');
});
await main(process.argv.slice(2));
