// Run by `npm run build` (and so by `prepare`), after tsc:
// - Newman and everything it requires, as one CommonJS file, dist/newman-bundle.cjs, with a
//   manifest naming its SHA-256. Loading one file through a V8 code cache (newman-loader.ts)
//   skips resolving and compiling ~1,200 modules on every command that runs Newman.
// - The CLI's own modules with yargs, dotenv and the rest, as one ES module next to them,
//   dist/lib/cli/cli.bundle.mjs, at the depth of every lib module (so import.meta.url-relative paths hold), which dist/cli.js runs.
// An optional argument names another output folder (the determinism test builds twice).
// A build whose every input and output is byte for byte what the last one read and wrote is
// skipped (`npm test` builds again right after `prepare` did): the record, .bundles.json, names
// them with their SHA-256, from esbuild's own list of what it read.
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist');
const outfile = join(outDir, 'newman-bundle.cjs');
const cliOutfile = join(outDir, 'lib', 'cli', 'cli.bundle.mjs');
const record = join(outDir, '.bundles.json');
type Hashes = Record<string, string>;

const sha256Of = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

/** Hashes keyed by path relative to the project: a copied project checks its own files, not the original's. */
async function hashAll(paths: string[]): Promise<Hashes> {
  return Object.fromEntries(await Promise.all(paths.map(async (path) => [relative(root, path), await sha256Of(resolve(root, path))] as const)));
}

/** True when the record's inputs and outputs all still hash as recorded (any read error: false). */
async function unchanged(): Promise<boolean> {
  try {
    const last = JSON.parse(await readFile(record, 'utf8')) as { files: Hashes };
    const now = await hashAll(Object.keys(last.files));
    return Object.keys(last.files).length > 0 && Object.entries(last.files).every(([path, hash]) => now[path] === hash);
  } catch {
    return false;
  }
}

if (await unchanged()) process.exit(0);
const inputs: string[] = [];
// Not files: esbuild's <stdin>, and the stand-ins of deferLoading ("<name>:<path>", whose file is listed too).
const readBy = (metafile: Metafile | undefined) =>
  inputs.push(...Object.keys(metafile?.inputs ?? {}).filter((path) => !path.startsWith('<') && !/^[\w-]{2,}:/.test(path)).map((path) => resolve(root, path)));

/**
 * A plugin bundling each import of a module that `filter` matches as a stand-in, `standIn(real)`
 * with `real` the quoted path of the module itself, which it should require only when called:
 * esbuild then initialises the real module on that first call, not at start.
 */
function deferLoading(name: string, filter: RegExp, standIn: (real: string) => string): Plugin {
  return {
    name,
    setup(build) {
      build.onResolve({ filter }, async (args) => {
        if (args.namespace === name) return undefined;
        const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, namespace: name });
        if (real.errors.length) return { errors: real.errors };
        // Relative: the bundle names its modules by these paths, the same bytes wherever it is built.
        return { path: relative(root, real.path), namespace: name };
      });
      build.onLoad({ filter: /.*/, namespace: name }, (args) => ({ contents: standIn(JSON.stringify(resolve(root, args.path))), resolveDir: root, loader: 'js' }));
    },
  };
}

// Newman loads stream-length at start (~20 ms: it loads bluebird and promisifies all of fs) and
// calls it only to measure a streamed body, as in a file upload. It exports one function.
const deferStreamLength = deferLoading('deferred-stream-length', /^stream-length$/, (real) => `module.exports = function streamLength() {\n  return require(${real}).apply(this, arguments);\n};\n`);

const newman = await build({
  stdin: { contents: "module.exports = require('newman');", resolveDir: root, loader: 'js' },
  metafile: true,
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: `${outfile}.partial`,
  // The sandbox's prebuilt bundle is read at run time (with a live-compile fallback that needs
  // browserify and terser): left to Node's require, as are native addons.
  external: ['postman-sandbox/lib/bundle', 'terser', 'browserify', '*.node'],
  plugins: [deferStreamLength],
  // A CommonJS bundle has no import.meta: the few ESM-era modules get this file's URL instead.
  define: { 'import.meta.url': '__bundle_import_meta_url' },
  banner: { js: "var __bundle_import_meta_url = require('url').pathToFileURL(__filename).href;" },
  // Whitespace and comments only (names stay: some code reads function names).
  minifyWhitespace: true,
  legalComments: 'none',
  charset: 'ascii',
  logLevel: 'warning',
});
// Pure ASCII, so the loader can read it as Latin-1, a one-byte string with no UTF-8 decoding:
// the few characters esbuild leaves (in regular expressions) become \u escapes, valid there too.
// A character escaped by an odd run of backslashes (`\一` in a regex) loses that one backslash.
const text = (await readFile(`${outfile}.partial`, 'utf8')).replace(/(\\*)([^\x00-\x7f])/g, (_m, slashes: string, c: string) =>
  `${slashes.slice(0, slashes.length - (slashes.length % 2))}\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
);
await writeFile(`${outfile}.partial`, text);
await rename(`${outfile}.partial`, outfile);
const sha256 = createHash('sha256').update(await readFile(outfile)).digest('hex');
await writeFile(join(outDir, 'newman-bundle.json'), `${JSON.stringify({ file: 'newman-bundle.cjs', sha256 }, null, 2)}\n`);

// yargs, at every command's start, does work the CLI never uses:
// - string-width (two copies, via yargs and cliui) builds an Intl.Segmenter and Unicode-property
//   regular expressions when loaded, ~60 ms; only --help measures text. Its one export, deferred.
// - It guesses a version at construction by looking for package.json from its own folder, which it
//   cannot find in a bundle, so it lists the working folder and each one above (~40 ms in a /tmp of
//   30,000 entries). It looks from the bundle's folder instead; a yargs whose shim reads otherwise
//   fails the build here rather than silently keeping the cost.
const deferStringWidth = deferLoading('deferred-string-width', /^string-width$/, (real) => `let width;\nexport default function stringWidth(text, options) {\n  width ??= require(${real}).default;\n  return width(text, options);\n}\n`);
const yargsLooksFromBundle: Plugin = {
  name: 'yargs-looks-from-bundle',
  setup(build) {
    build.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const fallback = 'mainFilename: mainFilename || process.cwd(),';
      if (!source.includes(fallback)) throw new Error(`${args.path} no longer holds "${fallback}": review yargsLooksFromBundle in build-bundles.ts`);
      return { contents: source.replace(fallback, "mainFilename: mainFilename || fileURLToPath(new URL('.', import.meta.url)),"), loader: 'js' };
    });
  },
};

const cli = await build({
  entryPoints: [`${root}dist/dispatch.js`],
  metafile: true,
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: cliOutfile,
  // Newman comes from its own bundle; the rest are loaded only by the commands that need them.
  external: ['newman', 'open', '@inquirer/*', 'esbuild'],
  plugins: [deferStringWidth, yargsLooksFromBundle],
  // CommonJS dependencies bundled into an ES module still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __bundle_createRequire } from 'node:module'; const require = __bundle_createRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
readBy(newman.metafile);
readBy(cli.metafile);
const self = fileURLToPath(import.meta.url);
// The lock file and tsconfig.json too: esbuild lists the modules it read, not the package.json files
// that led it there nor the tsconfig.json it applied (its "strict" puts "use strict" in the output).
const files = await hashAll([...new Set([self, join(root, 'package-lock.json'), join(root, 'tsconfig.json'), ...inputs]), outfile, join(outDir, 'newman-bundle.json'), cliOutfile]);
await writeFile(record, `${JSON.stringify({ files }, null, 2)}\n`);
