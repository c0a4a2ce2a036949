// The repository side of check-secrets: what git tracks and has staged, the user's own secrets from
// every env file of the folder and the process environment, the scan of one file, the allow-list,
// and what a commit adds compared with HEAD.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { VARIABLES } from '../config/variables.js';
import { UsageError } from '../core/errors.js';
import { registerSecret } from '../core/redaction.js';
import { showUntrusted } from '../core/terminal-text.js';
import { MissingUserFileError, readRegularFile } from '../core/user-file.js';
import { whatGitSaid } from '../disk/git-answer.js';
import { findOwnSecretsInBytes, findSecrets, fingerprintOf, type DetectContext, type Finding } from './postman-secrets.js';
import { readPostmanFile } from './postman-sanitize.js';
import { isProfileEnvFile } from './env-files.js';

/** Larger blobs are not read: such a file is a finding of its own (exit 2), never skipped in silence. */
export const MAX_BLOB_BYTES = 256 * 1024 * 1024;
/** The allow-list, one fingerprint per accepted finding (gitleaks' .gitleaksignore convention). */
export const ALLOW_LIST_FILE = '.secretsignore';

export interface FileFinding extends Finding {
  file: string;
}

function git(args: string[], cwd: string, input?: string): Buffer {
  return execFileSync('git', args, { cwd, input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1024 * 1024 * 1024 });
}

export function repositoryRoot(cwd: string): string {
  try {
    return git(['rev-parse', '--show-toplevel'], cwd).toString('utf8').trim();
  } catch (error) {
    // git's own words unless it says this is no repository: dubious ownership, a broken config line, ...
    const { code, stderr } = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (code === 'ENOENT') throw new UsageError('not_a_git_repository', `Cannot check for secrets in ${cwd}: git is not installed. Run it inside the repository you share.`);
    if (/not a git repository/i.test(String(stderr))) throw new UsageError('not_a_git_repository', `Cannot check for secrets in ${cwd}: this folder is not inside a git work tree. Run it inside the repository you share.`);
    throw new UsageError('git_failed', `Cannot check for secrets in ${cwd}: git cannot read this repository (${whatGitSaid(error)}). Fix what git says, then run it again.`);
  }
}

interface Blob {
  path: string;
  blob: string;
}
export interface FileContent {
  path: string;
  /** Undefined when the blob is too large to read. */
  content: Buffer | undefined;
  size: number;
}

function readBlobs(root: string, entries: Blob[]): FileContent[] {
  if (!entries.length) return [];
  const sizes = git(['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], root, entries.map((e) => e.blob).join('\n') + '\n').toString('utf8').trim().split('\n');
  const typed = entries.map((e, i) => {
    const [, type, size] = sizes[i]!.split(' ');
    return { ...e, type, size: Number(size) };
  });
  // Submodules (commits) hold no bytes of ours.
  const blobs = typed.filter((e) => e.type === 'blob');
  const wanted = blobs.filter((e) => e.size <= MAX_BLOB_BYTES);
  const contents = new Map<string, Buffer>();
  if (wanted.length) {
    const batch = git(['cat-file', '--batch'], root, wanted.map((e) => e.blob).join('\n') + '\n');
    let offset = 0;
    for (const entry of wanted) {
      const headerEnd = batch.indexOf(0x0a, offset);
      const size = Number(batch.subarray(offset, headerEnd).toString('utf8').split(' ')[2]);
      contents.set(entry.path, batch.subarray(headerEnd + 1, headerEnd + 1 + size));
      offset = headerEnd + 1 + size + 1;
    }
  }
  return blobs.map((e) => ({ path: e.path, content: contents.get(e.path), size: e.size }));
}

function parseEntries(listing: Buffer, field: number): Blob[] {
  return listing
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      return { path: line.slice(tab + 1), blob: line.slice(0, tab).split(' ')[field]! };
    });
}

/** Every tracked path with the bytes git would commit (the index: tracked and staged alike). */
export function readIndex(root: string): FileContent[] {
  return readBlobs(root, parseEntries(git(['ls-files', '-s', '-z'], root), 1));
}

function hasHead(root: string): boolean {
  try {
    git(['rev-parse', '--verify', '-q', 'HEAD'], root);
    return true;
  } catch {
    return false;
  }
}

/** The paths the commit changes (added, copied, modified, renamed, type-changed), vs HEAD. */
function stagedPaths(root: string): Set<string> | undefined {
  if (!hasHead(root)) return undefined;
  return new Set(git(['diff', '--cached', '--name-only', '-z', '--no-renames', '--diff-filter=ACMRT', 'HEAD'], root).toString('utf8').split('\0').filter(Boolean));
}

function readHead(root: string, paths: string[]): FileContent[] {
  if (!paths.length) return [];
  const listing = git(['ls-tree', '-r', '-z', 'HEAD', '--', ...paths], root);
  return readBlobs(root, parseEntries(listing, 2));
}

/**
 * The user's own secrets and client IDs: every env file of the folders (and the one chosen), and
 * the process environment; `unread`, each env file that could not be read, said why.
 */
export function ownValues(folders: string[], envFile: string | undefined, env: NodeJS.ProcessEnv = process.env): Pick<DetectContext, 'own' | 'clientIds'> & { unread: string[] } {
  const own = new Map<string, string>();
  const clientIds = new Set<string>();
  const files = new Set<string>();
  for (const folder of folders) {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      continue; // an unreadable folder holds no env file we could read either
    }
    // A folder by an env file's name (.env, a Python virtualenv's usual name) is not one.
    for (const entry of entries) if (isProfileEnvFile(entry.name) && !entry.isDirectory()) files.add(join(folder, entry.name));
  }
  if (envFile) files.add(resolve(envFile));
  const sources: Array<Record<string, string | undefined>> = [env];
  const unread: string[] = [];
  for (const file of files) {
    try {
      sources.push(parseDotenv(readRegularFile(file, { what: `the env file ${showUntrusted(file)}`, remedy: 'Its secrets were not looked for.', maxBytes: 1024 * 1024 })));
    } catch (error) {
      // The commands' problem to refuse; here a warning: a check that passes must not hide what it could not read.
      if (!(error instanceof MissingUserFileError)) unread.push((error as Error).message);
    }
  }
  for (const source of sources) {
    for (const v of VARIABLES) {
      const value = v.envName ? source[v.envName]?.trim() : undefined;
      if (!value) continue;
      if (v.secret && value.length >= 8) {
        own.set(value, v.envName!);
        // Every secret the process learns is masked in all it prints (core/redaction.ts).
        registerSecret(value);
      }
      if (v.key === 'client_id') clientIds.add(value);
    }
  }
  return { own, clientIds, unread };
}

const ENV_FILE_NAME = /^\.env(\..+)?$/;

/** Every finding in one file, whatever it holds: nothing is skipped without a word. */
export function scanFile(file: FileContent, values: Pick<DetectContext, 'own' | 'clientIds'>): Finding[] {
  const name = file.path.split('/').pop()!;
  const ctx: DetectContext = { file: file.path, ...values };
  const findings: Finding[] = [];
  const pathHash = createHash('sha256').update(file.path).digest('hex').slice(0, 16);
  if (ENV_FILE_NAME.test(name) && name !== '.env.example') {
    findings.push({ where: 'the whole file', value: '', rule: 'tracked-env-file', fingerprint: `tracked-env-file:${pathHash}`, why: 'an env file is tracked: it holds one person\'s secrets ("git rm --cached" it; .gitignore covers .env and .env.*)' });
  }
  if (!file.content) {
    findings.push({ where: 'the whole file', value: '', rule: 'unscannable', fingerprint: `unscannable:${pathHash}`, why: `cannot be scanned: it is ${file.size} bytes, more than the ${MAX_BLOB_BYTES} read; check it by hand, then untrack it or accept it in ${ALLOW_LIST_FILE}` });
    return findings;
  }
  // The same decision sanitize takes (readPostmanFile): what is walked here, sanitize rewrites.
  const read = readPostmanFile(file.path, file.content);
  if (read.postman) {
    if ('problem' in read) findings.push({ where: 'the whole file', value: '', rule: 'unscannable', fingerprint: `unscannable:${pathHash}`, why: `cannot be scanned as a Postman or Newman file: ${read.problem}` });
    else return [...findings, ...findSecrets(read.parsed, read.text, ctx)];
    return findings;
  }
  findings.push(...findOwnSecretsInBytes(file.content, ctx));
  return findings;
}

/** The accepted findings: `file:rule:hash` lines, # comments. */
export function readAllowList(root: string): Set<string> {
  let text: string;
  try {
    // Through the user-file gate: a FIFO planted as the list would hang every commit.
    text = readRegularFile(join(root, ALLOW_LIST_FILE), { what: `the allow-list ${ALLOW_LIST_FILE}`, code: 'allow_list_unreadable', maxBytes: 1024 * 1024, remedy: `Make it a regular file of "file:rule:hash" lines, or remove it.` }).toString('utf8');
  } catch (error) {
    if (error instanceof MissingUserFileError) return new Set();
    throw error;
  }
  return new Set(
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
}

export const allowListEntry = (f: FileFinding) => `${f.file}:${f.fingerprint}`;

export interface ScanResult {
  /** New findings: the commit is refused. */
  blocking: FileFinding[];
  /** Findings already in HEAD (or outside this commit): reported, not refused. */
  warnings: FileFinding[];
  scanned: number;
}

/**
 * --all: every tracked file, every finding blocks. Otherwise the commit: what it adds (a finding in
 * a staged change that HEAD's version of that file does not hold) blocks; the rest is a warning.
 */
export function scanRepository(root: string, values: Pick<DetectContext, 'own' | 'clientIds'>, all: boolean): ScanResult {
  const allowed = readAllowList(root);
  const index = readIndex(root);
  const staged = all ? undefined : stagedPaths(root);
  const headFingerprints = new Map<string, Set<string>>();
  if (staged) {
    for (const file of readHead(root, [...staged])) headFingerprints.set(file.path, new Set(scanFile(file, values).map((f) => f.fingerprint)));
  }
  const blocking: FileFinding[] = [];
  const warnings: FileFinding[] = [];
  for (const file of index) {
    for (const finding of scanFile(file, values)) {
      const f = { file: file.path, ...finding };
      if (allowed.has(allowListEntry(f))) continue;
      const old = staged !== undefined && (!staged.has(file.path) || headFingerprints.get(file.path)?.has(f.fingerprint));
      (old ? warnings : blocking).push(f);
    }
  }
  return { blocking, warnings, scanned: index.length };
}
