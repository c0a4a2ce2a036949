// Shared by the tests: the built CLI as a child process, isolated temp folders, codes from the mock.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist', 'cli.js');
export const TEST_CACHE_HOME = join(tmpdir(), 'dribbble-oauth-test-cache');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function makeTempDir(prefix = 'dribbble-oauth-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A clean environment: no DRIBBBLE_* from the developer's shell, state kept in `home`. */
export function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('DRIBBBLE_')) env[key] = value;
  // The Newman code cache is shared by the whole test run (it is keyed by content, and concurrent
  // runs writing it is part of what is tested), outside every folder a test inspects.
  return { ...env, HOME: home, XDG_STATE_HOME: join(home, 'state'), XDG_CACHE_HOME: TEST_CACHE_HOME, NO_COLOR: '1', ...extra };
}

export function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--', CLI, ...args], { cwd: options.cwd, env: options.env ?? cliEnv(options.cwd), timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
    else child.stdin!.end();
  });
}

/** Starts a long-running CLI command and collects its output as it comes. */
export function startCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): {
  child: ChildProcess;
  output: () => string;
  waitForOutput: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  exit: Promise<CliResult>;
} {
  const child = spawn(process.execPath, ['--', CLI, ...args], { cwd: options.cwd, env: options.env ?? cliEnv(options.cwd), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exit = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr })));
  const output = () => stdout + stderr;
  const waitForOutput = async (pattern: RegExp, timeoutMs = 20_000) => {
    const started = Date.now();
    for (;;) {
      const match = output().match(pattern);
      if (match) return match;
      if (Date.now() - started > timeoutMs || child.exitCode !== null) throw new Error(`no ${pattern} in output:\n${output()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { child, output, waitForOutput, exit };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Asks the mock's authorize endpoint for a code, as a browser would, without following the redirect. */
export async function authorizeAtMock(
  oauthBaseUrl: string,
  params: { clientId: string; redirectUri: string; state?: string; scope?: string; codeChallenge?: string },
): Promise<{ location: string; code: string }> {
  const url = new URL(`${oauthBaseUrl}/authorize`);
  url.searchParams.set('client_id', params.clientId);
  url.searchParams.set('redirect_uri', params.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', params.scope ?? 'public');
  if (params.state) url.searchParams.set('state', params.state);
  if (params.codeChallenge) {
    url.searchParams.set('code_challenge', params.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location') ?? '';
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${response.status} ${location}`);
  return { location, code };
}

/** Every file under a folder, with its bytes: for searching what a run wrote. */
export async function readTree(dir: string): Promise<Array<{ path: string; content: string; mode: number }>> {
  const out: Array<{ path: string; content: string; mode: number }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    out.push({ path, content: await readFile(path, 'latin1'), mode: (await stat(path)).mode & 0o777 });
  }
  return out;
}

/** A throwaway HTTP server on 127.0.0.1:0 answering with `handler`. */
export async function startStubServer(
  handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, body: string) => void,
): Promise<{ origin: string; close: () => Promise<void>; requests: Array<{ url: string; body: string; headers: import('node:http').IncomingHttpHeaders }> }> {
  const { createServer } = await import('node:http');
  const requests: Array<{ url: string; body: string; headers: import('node:http').IncomingHttpHeaders }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      requests.push({ url: req.url ?? '', body, headers: req.headers });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The consent URL that `authorize` prints. */
export const AUTHORIZE_URL = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)/;

let loopbackCounter = 0;
/**
 * A loopback address of this test's own (127.X.Y.1, unique per worker process and call): nothing
 * else on the machine binds it, so its ports are ours without the race of "free a moment ago".
 */
export function ownLoopbackHost(): string {
  loopbackCounter += 1;
  return `127.${(process.pid % 250) + 2}.${loopbackCounter % 250}.${Math.floor(loopbackCounter / 250) + 1}`;
}

/** Text as a browser shows it: any safe spelling of an escaped character decoded. */
export function decodeHtmlText(html: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1]!.toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (named[e.toLowerCase()] ?? m),
  );
}

/** Every file under `dir` whose name marks it as a temporary or lock file of ours. */
export async function leftovers(dir: string): Promise<string[]> {
  const all = await readdir(dir, { recursive: true });
  return all.filter((name) => /dribbble-oauth-tmp|\.tmp$|\.lock$/.test(name));
}

/** A token endpoint that holds each answer until the test calls release(): the moment to inject a fault. */
export async function startHoldingTokenServer(token: string): Promise<{
  origin: string;
  arrived: () => Promise<void>;
  release: () => void;
  requests: Array<{ url: string; body: string }>;
  close: () => Promise<void>;
}> {
  const held: Array<import('node:http').ServerResponse> = [];
  let signalArrival: () => void = () => undefined;
  let arrival = new Promise<void>((r) => (signalArrival = r));
  const stub = await startStubServer((_req, res) => {
    held.push(res);
    signalArrival();
  });
  return {
    origin: stub.origin,
    requests: stub.requests,
    arrived: () => arrival,
    release: () => {
      for (const res of held.splice(0)) res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'Bearer', scope: 'public' }));
      arrival = new Promise<void>((r) => (signalArrival = r));
    },
    close: stub.close,
  };
}

/** Waits until `check` returns something truthy (polling), or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A copy of the built package (dist, collections, environments) sharing node_modules, whose
 * committed collection a test may edit: the CLI there runs whatever that collection says.
 */
export async function copyPackage(into: string, editCollection?: (collection: { item: Array<{ name: string; event?: Array<{ listen: string; script: { exec: string[] } }> }> }) => void): Promise<string> {
  const { cp, symlink, writeFile: write } = await import('node:fs/promises');
  const root = join(into, 'package');
  for (const part of ['dist', 'collections', 'environments', 'package.json']) await cp(join(ROOT, part), join(root, part), { recursive: true });
  await symlink(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  if (editCollection) {
    const path = join(root, 'collections', 'dribbble-oauth.postman_collection.json');
    const collection = JSON.parse(await readFile(path, 'utf8'));
    editCollection(collection);
    await write(path, JSON.stringify(collection, null, 2));
  }
  return join(root, 'dist', 'cli.js');
}
