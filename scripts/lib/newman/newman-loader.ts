// Loads Newman for this process: the bundle built at install time (dist/newman-bundle.cjs) through
// a V8 code cache kept in the XDG cache folder, keyed by the bundle's SHA-256 and by the Node and
// V8 versions. A missing, stale, corrupted or unwritable cache only costs speed: the bundle then
// compiles as usual (and the cache is rewritten); a missing bundle falls back to require('newman').
// The cache folder and its files pass the private-folder gate: a cache anyone else could have
// written is never loaded (it would run as this user, with the client secret in reach).
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { createPrivateFile, describeRefusedFolder, folderLocation, preparePrivateFolder, readPrivateFile, writePrivateFile } from '../disk/private-folder.js';
import type { Newman } from './newman-types.js';

const BUNDLE = fileURLToPath(new URL('../../newman-bundle.cjs', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../newman-bundle.json', import.meta.url));
const DIGEST_BYTES = 32;

/** DRIBBBLE_OAUTH_DEBUG=cache says on stderr what the cache did: the only way to see it but speed. */
function debug(message: string): void {
  if (/\bcache\b/.test(process.env.DRIBBBLE_OAUTH_DEBUG ?? '')) process.stderr.write(`debug: ${message}\n`);
}

export interface CachedScript {
  script: Script;
  /** The private cache folder, or undefined when it is not usable (then nothing is read or written). */
  folder: string | undefined;
  name: string;
  used: boolean;
}

let loaded: { newman: Newman; caches: CachedScript[] } | undefined;

// Newman's caches are a few MB; a larger file is not one of ours.
const CACHE_MAX_BYTES = 256 * 1024 * 1024;

let checkedFolder: { folder: string | undefined } | undefined;

/** The cache folder if it is private (made 0700 when absent), else undefined with a debug line saying why. */
export function usableCacheFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (checkedFolder && env === process.env) return checkedFolder.folder;
  const location = folderLocation('cache', env);
  const why = preparePrivateFolder(location.path);
  if (why) debug(`code cache folder not used: ${describeRefusedFolder(location, why)}`);
  const folder = why ? undefined : location.path;
  if (env === process.env) checkedFolder = { folder };
  return folder;
}

/** The key of this bundle on this Node: a new bundle or Node never reads an old cache. */
function cacheKey(bundleSha256: string): string {
  return createHash('sha256').update(`${bundleSha256}\0${process.version}\0${process.versions.v8}\0${process.arch}`).digest('hex').slice(0, 32);
}

/**
 * The cached data, if the file is ours and whole: its first 32 bytes are the SHA-256 of the rest
 * (which proves it whole, not who wrote it: the private-folder gate does that).
 */
function readCache(folder: string, name: string): Buffer | undefined {
  try {
    const file = readPrivateFile(folder, name, CACHE_MAX_BYTES);
    if (!file) return undefined;
    const data = file.subarray(DIGEST_BYTES);
    return file.length > DIGEST_BYTES && createHash('sha256').update(data).digest().equals(file.subarray(0, DIGEST_BYTES)) ? data : undefined;
  } catch (error) {
    debug(`code cache ${join(folder, name)}: not loaded (${(error as Error).message})`);
    return undefined;
  }
}

/** A vm.Script for `source`, compiled through the cache `name` in `folder` when that holds a whole one of ours. */
export function compileCached(source: string, filename: string, folder: string | undefined, name: string): CachedScript {
  const cachedData = folder ? readCache(folder, name) : undefined;
  const script = new Script(source, { filename, cachedData });
  // A cache V8 rejects (another V8 flag set, a corrupt body with a whole digest) is not used, so it gets rewritten.
  const used = cachedData !== undefined && !script.cachedDataRejected;
  debug(`code cache ${join(folder ?? '(none)', name)}: ${used ? 'used' : cachedData ? 'rejected by V8, compiled' : 'missing or damaged, compiled'}`);
  return { script, folder, name, used };
}

/**
 * Newman's sandbox evaluates its boot code (about 2 MB, the same in every run) in a new context
 * at the start of each run, through vm.runInContext: that call goes through a code cache too.
 */
function cacheSandboxBootCode(key: string, caches: CachedScript[]): void {
  const vm = createRequire(import.meta.url)('node:vm') as typeof import('node:vm');
  const runInContext = vm.runInContext;
  vm.runInContext = function (this: unknown, code: string, context: import('node:vm').Context, options?: import('node:vm').RunningScriptOptions | string) {
    if (typeof code !== 'string' || code.length < 1_000_000) return runInContext.call(this, code, context, options as import('node:vm').RunningScriptOptions);
    const digest = createHash('sha256').update(code, 'latin1').digest('hex').slice(0, 16);
    const cached = compileCached(code, 'postman-sandbox-boot.js', usableCacheFolder(), `sandbox-${key}-${digest}.v8cache`);
    caches.push(cached);
    return cached.script.runInContext(context, typeof options === 'object' ? options : undefined);
  } as typeof vm.runInContext;
}

export function loadNewman(): Newman {
  if (loaded) return loaded.newman;
  let manifest: { sha256: string };
  let source: string;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { sha256: string };
    source = readFileSync(BUNDLE, 'latin1'); // ASCII by construction (build-newman-bundle.ts)
  } catch {
    loaded = { newman: createRequire(import.meta.url)('newman') as Newman, caches: [] };
    debug('newman bundle missing: loaded with require("newman")');
    return loaded.newman;
  }
  const key = cacheKey(manifest.sha256);
  const caches: CachedScript[] = [];
  const bundle = compileCached(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, BUNDLE, usableCacheFolder(), `newman-${key}.v8cache`);
  caches.push(bundle);
  cacheSandboxBootCode(key, caches);
  const module = { exports: {} as Newman };
  (bundle.script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  loaded = { newman: module.exports, caches };
  return loaded.newman;
}

const LOCK = 'writing.lock';

/**
 * One writer at a time: concurrent first runs start one between them. The lock is created
 * exclusively (a symlink planted there is never followed); one older than a minute is a dead
 * writer's and is replaced once.
 */
function takeWriterLock(folder: string): string | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return createPrivateFile(folder, LOCK, String(process.pid));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return void debug(`code caches: not written (${(error as Error).message})`);
    }
    try {
      const stat = lstatSync(join(folder, LOCK));
      if (stat.isFile() && Date.now() - stat.mtimeMs < 60_000) return void debug(`code caches: being written by another process (${join(folder, LOCK)})`);
      unlinkSync(join(folder, LOCK));
    } catch {
      // gone meanwhile: try again
    }
  }
  return undefined;
}

const WARMER = fileURLToPath(new URL('../newman/newman-cache-warmer.js', import.meta.url));
let warming = false;

/**
 * After a run that found a code cache missing: a detached process (newman-cache-warmer.ts) builds
 * and writes the caches, so that the ~200 ms of serialising them is not on this command's path.
 */
export function warmCodeCachesInBackground(): void {
  const folder = usableCacheFolder();
  if (warming || !loaded || !folder || loaded.caches.every((c) => c.used) || !existsSync(WARMER)) return;
  warming = true;
  const lock = takeWriterLock(folder);
  if (!lock) return;
  try {
    const child = spawn(process.execPath, ['--', WARMER], { detached: true, stdio: 'ignore', env: { ...process.env, DRIBBBLE_OAUTH_CACHE_LOCK: lock } });
    child.on('error', () => undefined);
    child.unref();
    debug(`code caches: written in the background by process ${child.pid}`);
  } catch {
    // no process to spare: the next run tries again
  }
}

/**
 * Writes each code cache that was missing, after a run: made then, it also holds the functions
 * the run compiled. Written to a unique temporary file and renamed, so concurrent writers never
 * leave half a cache; any failure (a read-only folder, a full disk) is ignored.
 */
export function writeCodeCaches(): void {
  for (const cache of loaded?.caches ?? []) writeCodeCache(cache);
}

/** Writes one cache that was not used (missing, damaged or rejected by V8), atomically, in its private folder. */
export function writeCodeCache(cache: CachedScript): void {
  if (cache.used) return;
  cache.used = true;
  if (!cache.folder) return debug(`code cache ${cache.name}: not written (no private cache folder)`);
  const path = join(cache.folder, cache.name);
  try {
    const data = cache.script.createCachedData();
    writePrivateFile(cache.folder, cache.name, Buffer.concat([createHash('sha256').update(data).digest(), data]));
    debug(`code cache ${path}: written`);
  } catch (error) {
    debug(`code cache ${path}: not written (${(error as Error).message})`);
  }
}
