#!/usr/bin/env -S node --
// The one binary: `dribbble-oauth <command> [flags]`. `node --` everywhere: Node 20 otherwise
// takes our --env-file flag for its own and exits 9.
// It runs the install-time bundle of the CLI (one file: no resolving of ~100 modules, yargs
// included), or the compiled modules when no bundle was built.
const BUNDLE = './lib/cli/cli.bundle.mjs';
type Main = { main(argv: string[]): Promise<void> };
const { main } = await (import(BUNDLE) as Promise<Main>).catch((error: NodeJS.ErrnoException) => {
  if (error.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('cli.bundle.mjs')) throw error;
  return import('./dispatch.js');
});
await main(process.argv.slice(2));
