// Loads Newman for this process: the bundle built at install time (dist/newman-bundle.cjs) through
// a V8 code cache kept in the XDG cache folder, keyed by the bundle's SHA-256 and by the Node and
// V8 versions. A missing, stale, corrupted or unwritable cache only costs speed: the bundle then
// compiles as usual (and the cache is rewritten); a missing bundle falls back to require('newman').
import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import type { Newman } from './newman-types.js';

const BUNDLE = fileURLToPath(new URL('../../newman-bundle.cjs', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../newman-bundle.json', import.meta.url));
const DIGEST_BYTES = 32;

/** DRIBBBLE_OAUTH_DEBUG=cache says on stderr what the cache did: the only way to see it but speed. */
function debug(message: string): void {
  if (/\bcache\b/.test(process.env.DRIBBBLE_OAUTH_DEBUG ?? '')) process.stderr.write(`debug: ${message}\n`);
}

interface CachedScript {
  script: Script;
  path: string;
  used: boolean;
}

let loaded: { newman: Newman; caches: CachedScript[] } | undefined;

export function cacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dribbble-oauth');
}

/** The key of this bundle on this Node: a new bundle or Node never reads an old cache. */
function cacheKey(bundleSha256: string): string {
  return createHash('sha256').update(`${bundleSha256}\0${process.version}\0${process.versions.v8}\0${process.arch}`).digest('hex').slice(0, 32);
}

/** The cached data, if the file is whole: its first 32 bytes are the SHA-256 of the rest. */
function readCache(path: string): Buffer | undefined {
  try {
    const file = readFileSync(path);
    const data = file.subarray(DIGEST_BYTES);
    return file.length > DIGEST_BYTES && createHash('sha256').update(data).digest().equals(file.subarray(0, DIGEST_BYTES)) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** A vm.Script for `source`, compiled through the cache at `path` when that holds a whole one. */
function compileCached(source: string, filename: string, path: string): CachedScript {
  const cachedData = readCache(path);
  const script = new Script(source, { filename, cachedData });
  const used = cachedData !== undefined && !script.cachedDataRejected;
  debug(`code cache ${path}: ${used ? 'used' : cachedData ? 'rejected by V8, compiled' : 'missing or damaged, compiled'}`);
  return { script, path, used };
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
    const cached = compileCached(code, 'postman-sandbox-boot.js', join(cacheFolder(), `sandbox-${key}-${digest}.v8cache`));
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
  const bundle = compileCached(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, BUNDLE, join(cacheFolder(), `newman-${key}.v8cache`));
  caches.push(bundle);
  cacheSandboxBootCode(key, caches);
  const module = { exports: {} as Newman };
  (bundle.script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  loaded = { newman: module.exports, caches };
  return loaded.newman;
}

const WARMER = fileURLToPath(new URL('../newman/newman-cache-warmer.js', import.meta.url));
let warming = false;

/**
 * After a run that found a code cache missing: a detached process (newman-cache-warmer.ts) builds
 * and writes the caches, so that the ~200 ms of serialising them is not on this command's path.
 */
export function warmCodeCachesInBackground(): void {
  if (warming || !loaded || loaded.caches.every((c) => c.used) || !existsSync(WARMER)) return;
  warming = true;
  // One writer at a time: concurrent first runs start one between them (a lock older than a
  // minute is a dead writer's).
  const lock = join(cacheFolder(), 'writing.lock');
  try {
    mkdirSync(cacheFolder(), { recursive: true, mode: 0o700 });
    if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs < 60_000) return debug(`code caches: being written by another process (${lock})`);
    writeFileSync(lock, String(process.pid));
  } catch {
    return; // an unwritable cache folder: nothing could be written anyway
  }
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
  for (const cache of loaded?.caches ?? []) {
    if (cache.used) continue;
    cache.used = true;
    const temporary = `${cache.path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      const data = cache.script.createCachedData();
      mkdirSync(dirname(cache.path), { recursive: true, mode: 0o700 });
      writeFileSync(temporary, Buffer.concat([createHash('sha256').update(data).digest(), data]), { mode: 0o600, flag: 'wx' });
      renameSync(temporary, cache.path);
      debug(`code cache ${cache.path}: written`);
    } catch (error) {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // its folder is not there: nothing was left
      }
      debug(`code cache ${cache.path}: not written (${(error as Error).message})`);
    }
  }
}
