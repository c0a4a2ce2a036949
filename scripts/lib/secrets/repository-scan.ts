// The repository side of check-secrets: what git tracks and has staged, the user's own secrets,
// and the scan of one file; plus the pre-commit hook that runs it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { VARIABLES } from '../config/variables.js';
import { UsageError } from '../core/errors.js';
import { maskSecret } from '../core/redaction.js';
import { CLI_PATH } from '../postman/collection-files.js';
import { findCollectionSecrets, findEnvironmentSecrets, findTokenShapes, postmanKind, type Finding } from './postman-secrets.js';

const HOOK_MARK = '# dribbble-oauth check-secrets';
const MAX_BLOB_BYTES = 5 * 1024 * 1024;

function git(args: string[], cwd: string, input?: string): Buffer {
  return execFileSync('git', args, { cwd, input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 512 * 1024 * 1024 });
}

export function repositoryRoot(cwd: string): string {
  try {
    return git(['rev-parse', '--show-toplevel'], cwd).toString('utf8').trim();
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed' : 'this folder is not inside a git work tree';
    throw new UsageError('not_a_git_repository', `Cannot check for secrets in ${cwd}: ${why}. Run it inside the repository you share.`);
  }
}

/** Every tracked path with the bytes git would commit (the index: tracked and staged alike). */
export function readIndex(root: string): Array<{ path: string; content: Buffer }> {
  const entries = git(['ls-files', '-s', '-z'], root)
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, path] = line.split('\t') as [string, string];
      return { path, blob: meta.split(' ')[1]! };
    });
  if (!entries.length) return [];
  const sizes = git(['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], root, entries.map((e) => e.blob).join('\n') + '\n').toString('utf8').trim().split('\n');
  const wanted = entries.filter((_e, i) => {
    const [, type, size] = sizes[i]!.split(' ');
    return type === 'blob' && Number(size) <= MAX_BLOB_BYTES;
  });
  const out: Array<{ path: string; content: Buffer }> = [];
  const batch = git(['cat-file', '--batch'], root, wanted.map((e) => e.blob).join('\n') + '\n');
  let offset = 0;
  for (const entry of wanted) {
    const headerEnd = batch.indexOf(0x0a, offset);
    const size = Number(batch.subarray(offset, headerEnd).toString('utf8').split(' ')[2]);
    out.push({ path: entry.path, content: batch.subarray(headerEnd + 1, headerEnd + 1 + size) });
    offset = headerEnd + 1 + size + 1;
  }
  return out;
}

/** The user's own secrets: from the env file (or profile) and the process environment. */
export function ownSecrets(envFile: string): Map<string, string> {
  const found = new Map<string, string>();
  let fromFile: Record<string, string> = {};
  try {
    fromFile = parseDotenv(readFileSync(envFile));
  } catch {
    // no env file: nothing of the user's own to look for there
  }
  for (const v of VARIABLES) {
    if (!v.secret || !v.envName) continue;
    for (const value of [fromFile[v.envName], process.env[v.envName]]) if (value && value.trim().length >= 8) found.set(value.trim(), v.envName);
  }
  return found;
}

export function scanFile(path: string, content: Buffer, own: Map<string, string>): Finding[] {
  const findings: Finding[] = [];
  const name = path.split('/').pop()!;
  if (/^\.env(\..+)?$/.test(name) && name !== '.env.example') findings.push({ where: 'the whole file', value: '', why: 'an env file is tracked: it holds one person\'s secrets ("git rm --cached" it; .gitignore covers .env and .env.*)' });
  if (content.includes(0)) return findings;
  const text = content.toString('utf8');
  for (const [secret, variable] of own) if (text.includes(secret)) findings.push({ where: variable, value: maskSecret(secret), why: `the value of your own ${variable}` });
  if (name.endsWith('.json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const kind = postmanKind(parsed);
    if (kind) {
      const structural = kind === 'environment' ? findEnvironmentSecrets(parsed as { values: [] }) : findCollectionSecrets(parsed as Record<string, unknown>);
      findings.push(...structural, ...findTokenShapes(text, [...findings, ...structural]));
    }
  }
  return findings;
}

/** Where the pre-commit hook goes, and whether ours is there already; undefined outside a work tree. */
export function hookStatus(cwd: string): { path: string; installed: boolean } | undefined {
  try {
    const root = repositoryRoot(cwd);
    const path = resolve(root, git(['rev-parse', '--git-path', 'hooks/pre-commit'], root).toString('utf8').trim());
    return { path, installed: existsSync(path) && readFileSync(path, 'utf8').includes(HOOK_MARK) };
  } catch {
    return undefined;
  }
}

export async function installHook(root: string): Promise<string> {
  const hookPath = resolve(root, git(['rev-parse', '--git-path', 'hooks/pre-commit'], root).toString('utf8').trim());
  if (existsSync(hookPath) && !readFileSync(hookPath, 'utf8').includes(HOOK_MARK)) {
    throw new UsageError('hook_exists', `${hookPath} exists and is not ours, so it was left alone. Add this line to it yourself: node ${JSON.stringify(CLI_PATH)} check-secrets`);
  }
  const cli = CLI_PATH;
  await writeFile(hookPath, `#!/bin/sh\n${HOOK_MARK}: refuses a commit that carries a secret.\nexec ${JSON.stringify(process.execPath)} -- ${JSON.stringify(cli)} check-secrets\n`);
  await chmod(hookPath, 0o755);
  return hookPath;
}

