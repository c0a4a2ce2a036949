// npm run bench: exchange against a bare `newman run` of the same request, `npx newman run`, and a
// plain fetch (the floor), each a fresh Node process against the bundled mock on 127.0.0.1,
// interleaved so that drift in the machine's load hits every case alike. Also: exchange from the
// packed project installed in a temporary folder (what users run), and exchange's first run after
// install (an empty code cache). And, in this process, the secret detector's cost against its
// input's size: it must stay near linear (test/unit/secrets-scale.test.ts leaves that to here).
import { createHash } from 'node:crypto';
import { OAUTH_PATH_PREFIX } from '../lib/dribbble/api-v2.js';
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { commonFlagsExcept, parseFlags, parseWholeNumber } from '../lib/cli/cli-flags.js';
import { runCommand, type Output } from '../lib/cli/command-output.js';
import { CLI_PATH, COLLECTION_PATH, ITEM_EXCHANGE, PACKAGE_ROOT } from '../lib/postman/collection-files.js';
import { ProtocolError } from '../lib/core/errors.js';
import { MOCK_DEMO_CLIENT } from '../lib/mock/mock-defaults.js';
import { startMockServer, type MockServer } from '../lib/mock/mock-server.js';
import { parsePostmanBytes, sanitizeParsed } from '../lib/secrets/postman-sanitize.js';

interface Sample {
  ms: number;
  maxRssKb: number;
}

interface Case {
  name: string;
  /** The command for one run, given a fresh code. */
  command: (code: string) => { file: string; args: string[]; env?: Record<string, string> };
}

// Preloaded into every measured Node process (NODE_OPTIONS): reports its peak resident memory on exit.
const RSS_PROBE = `process.on('exit', () => { require('fs').writeSync(2, '\\n__maxrss=' + process.resourceUsage().maxRSS + '\\n'); });\n`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function freshCode(mock: MockServer): Promise<string> {
  const url = new URL(`${mock.oauthBaseUrl}/authorize`);
  url.search = new URLSearchParams({ client_id: MOCK_DEMO_CLIENT.clientId, redirect_uri: MOCK_DEMO_CLIENT.redirectUri, response_type: 'code', scope: 'public' }).toString();
  const location = (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
  return new URL(location).searchParams.get('code') ?? '';
}

function measure(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const ms = performance.now() - started;
      // npx runs Node twice (npm, then newman): the larger peak is the run's.
      const rss = [...stderr.matchAll(/__maxrss=(\d+)/g)].map((m) => Number(m[1]));
      if (code !== 0 || !rss.length) return reject(new ProtocolError('bench_run_failed', `${file} ${args.slice(0, 3).join(' ')} exited ${code}: ${stderr.split('\n').find(Boolean) ?? ''}`));
      resolve({ ms, maxRssKb: Math.max(...rss) });
    });
  });
}

/** Waits until the background writer has left both code caches (and no temporary file) in `cacheHome`. */
async function waitForCodeCaches(cacheHome: string): Promise<void> {
  const folder = join(cacheHome, 'dribbble-oauth');
  for (const started = Date.now(); Date.now() - started < 60_000; await new Promise((r) => setTimeout(r, 50))) {
    const names = await readdir(folder).catch(() => [] as string[]);
    if (names.filter((n) => n.endsWith('.v8cache')).length >= 2 && !names.some((n) => n.endsWith('.tmp'))) return;
  }
  throw new ProtocolError('bench_no_code_cache', `No code caches appeared in ${folder} within a minute: the background writer failed.`);
}

/**
 * Milliseconds sanitize takes (read, detect, rewrite) on a Newman report holding `count` tokens in
 * an item's text and `count` in a recorded body: what check-secrets and sanitize do to such a file.
 */
function timeSanitize(count: number): number {
  const token = (i: number) => createHash('sha256').update(`bench-${i}`).digest('hex');
  const text = Array.from({ length: count }, (_, i) => `Bearer ${token(i)}`).join('\n');
  const body = [...Buffer.from(Array.from({ length: count }, (_, i) => `"access_token":"${token(count + i)}"`).join(','))];
  const report = { collection: { info: { name: 'bench' }, item: [{ name: 'r', request: { url: 'x', description: text } }] }, run: { executions: [{ response: { stream: { type: 'Buffer', data: body } } }] } };
  const bytes = Buffer.from(JSON.stringify(report));
  const started = performance.now();
  const read = parsePostmanBytes(bytes);
  if ('problem' in read) throw new ProtocolError('bench_detector', `The bench's Newman report was refused: ${read.problem}`);
  const { findings } = sanitizeParsed(read.parsed, read.text, read.kind, { file: 'bench.postman_collection.json', own: new Map(), clientIds: new Set() });
  if (findings.length !== 2 * count) throw new ProtocolError('bench_detector', `The detector found ${findings.length} of the ${2 * count} tokens in the bench's Newman report.`);
  return performance.now() - started;
}

/**
 * Sanitize's time up a ladder of doublings to 16,000 tokens; the target compares 4,000 with 16,000.
 * A step whose three runs are projected (from the last doubling) past a minute is not run: the
 * growth measured so far is extrapolated instead, and said to be, so a quadratic step shows as
 * MISSED in minutes rather than running for hours at the larger sizes.
 */
function timeSanitizeGrowth(): { name: string; value: number; ms: Record<string, number> } {
  const sizes = [1_000, 2_000, 4_000, 8_000, 16_000];
  const times: number[] = [];
  for (const count of sizes) {
    const [before, last] = times.slice(-2);
    if (before !== undefined && last !== undefined && 3 * last * (last / before) > 60_000) break;
    times.push(median([0, 1, 2].map(() => timeSanitize(count))));
  }
  const ms = Object.fromEntries(times.map((t, i) => [`tokens_${sizes[i]}`, t]));
  const at = (count: number) => times[sizes.indexOf(count)];
  const [small, large] = [at(4_000), at(16_000)];
  if (small !== undefined && large !== undefined) {
    return { ms, name: `sanitize of a Newman report, 4 times the tokens (${small.toFixed(0)} ms, then ${large.toFixed(0)} ms): times the time`, value: large / small };
  }
  const doubling = times.at(-1)! / times.at(-2)!;
  return { ms, name: `sanitize of a Newman report, EXTRAPOLATED: ${sizes[times.length - 1]} tokens took ${times.at(-1)!.toFixed(0)} ms, ${doubling.toFixed(1)} times ${sizes[times.length - 2]}; larger sizes would run past a minute, so 4 times the tokens is that doubling squared`, value: doubling ** 2 };
}

function execute(file: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => execFile(file, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`${file} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout))));
}

/** `npm pack`, then an install of the tarball in a temporary folder: the CLI as users get it. */
async function installPacked(dir: string, out: Output): Promise<string> {
  const npm = join(dirname(process.execPath), 'npm');
  out.line('Packing the project and installing the tarball in a temporary folder (npm pack, npm install) ...');
  const packed = JSON.parse(await execute(npm, ['pack', '--json', '--pack-destination', dir], PACKAGE_ROOT)) as Array<{ filename: string }>;
  const project = join(dir, 'packed-install');
  await mkdir(project);
  await writeFile(join(project, 'package.json'), '{ "name": "bench-packed-install", "private": true }\n');
  await execute(npm, ['install', '--no-audit', '--no-fund', '--omit=dev', join(dir, packed[0]!.filename)], project);
  return join(project, 'node_modules', 'dribbble-oauth', 'dist', 'cli.js');
}

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags<{ runs: number; warmup: number; packed: boolean }>(argv, 'bench', 'Measures exchange against a bare newman run, npx newman run and a plain fetch, on the bundled mock.', {
    runs: { type: 'string', default: '10', describe: 'Measured runs per case' },
    warmup: { type: 'string', default: '2', describe: 'Unmeasured runs per case first' },
    packed: { type: 'boolean', default: true, describe: 'Also time exchange from the packed project installed in a temporary folder (--no-packed: skip; it needs the npm registry)' },
  }, { ignores: commonFlagsExcept('json') });
  await runCommand(flags.json, async (out) => {
    flags.runs = parseWholeNumber(flags.runs, 'runs', 1, 1000, '15');
    flags.warmup = parseWholeNumber(flags.warmup, 'warmup', 0, 100, '2');
    // No rate limit to speak of: the API rows must measure the commands, not waits for the budget.
    const mock = await startMockServer({ port: 0, rateLimit: { perMinute: 1_000_000, perDay: 1_000_000_000 } });
    const dir = await mkdtemp(join(tmpdir(), 'dribbble-oauth-bench-'));
    try {
      const probe = join(dir, 'rss-probe.cjs');
      await writeFile(probe, RSS_PROBE);
      await writeFile(join(dir, 'bench.env'), '# written by npm run bench\n');
      const baseEnv = { ...process.env, NODE_OPTIONS: `--require=${probe}`, XDG_CACHE_HOME: join(dir, 'cache'), XDG_STATE_HOME: join(dir, 'state') };
      const cli = CLI_PATH;
      const newmanBin = join(createRequire(import.meta.url).resolve('newman/package.json'), '..', 'bin', 'newman.js');
      const collection = join(PACKAGE_ROOT, COLLECTION_PATH);
      const values = { client_id: MOCK_DEMO_CLIENT.clientId, client_secret: MOCK_DEMO_CLIENT.clientSecret, redirect_uri: MOCK_DEMO_CLIENT.redirectUri, oauth_origin: mock.origin };
      const envVars = (code: string) => Object.entries({ ...values, code }).flatMap(([k, v]) => ['--env-var', `${k}=${v}`]);
      // The secret through the environment, as recommended (a flag would also print a warning).
      const exchangeWith = (entry: string, env: Record<string, string> = {}) => (code: string) => ({
        file: process.execPath,
        args: ['--', entry, 'exchange', '--client-id', values.client_id, '--redirect-uri', values.redirect_uri, '--oauth-url', values.oauth_origin, `--code=${code}`, '--env-file', join(dir, 'bench.env')],
        env: { DRIBBBLE_CLIENT_SECRET: values.client_secret, ...env },
      });
      // The API rows: the same token, the same request (GET /v2/user), through whoami and through api.
      const apiEnv = { DRIBBBLE_ACCESS_TOKEN: mock.issueToken({ scope: 'public' }), DRIBBBLE_API_URL: mock.origin };
      const cliWith = (args: string[]) => () => ({ file: process.execPath, args: ['--', cli, ...args, '--env-file', join(dir, 'bench.env')], env: apiEnv });
      const cases: Case[] = [
        { name: '(a) exchange, this checkout', command: exchangeWith(cli) },
        ...(flags.packed ? [{ name: "(a') exchange, packed and installed", command: exchangeWith(await installPacked(dir, out)) }] : []),
        { name: '(b) bare node newman.js run', command: (code) => ({ file: process.execPath, args: [newmanBin, 'run', collection, '--folder', ITEM_EXCHANGE, ...envVars(code)] }) },
        { name: '(c) npx newman run', command: (code) => ({ file: join(dirname(process.execPath), 'npx'), args: ['--no-install', 'newman', 'run', collection, '--folder', ITEM_EXCHANGE, ...envVars(code)] }) },
        {
          name: '(d) node fetch POST (floor)',
          command: (code) => ({
            file: process.execPath,
            args: ['-e', `fetch(${JSON.stringify(`${values.oauth_origin}${OAUTH_PATH_PREFIX}/token`)}, { method: 'POST', body: new URLSearchParams(${JSON.stringify({ grant_type: 'authorization_code', ...values, code })}) }).then(async (r) => { const b = await r.json(); if (!b.access_token) process.exit(5); });`],
          }),
        },
        { name: '(e) whoami', command: cliWith(['whoami']) },
        { name: '(f) api GET /user', command: cliWith(['api', 'GET', '/user', '--json']) },
      ];
      const sampleOnce = async (c: Case) => {
        const { file, args, env } = c.command(await freshCode(mock));
        return measure(file, args, { ...baseEnv, ...env }, PACKAGE_ROOT);
      };
      // The code caches are made by a background process after the first run: let it finish first.
      await sampleOnce(cases[0]!);
      await waitForCodeCaches(join(dir, 'cache'));
      const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
      for (let round = 0; round < flags.warmup + flags.runs; round++) {
        for (const c of cases) {
          const sample = await sampleOnce(c);
          if (round >= flags.warmup) samples.get(c.name)!.push(sample);
        }
      }
      // The first run after an install, on its own: an empty cache folder each time, paired with a
      // bare newman run, and the background cache writer left to finish before the next pair.
      const firstRuns: Sample[] = [];
      const pairedBare: Sample[] = [];
      const bareCase = cases.find((c) => c.name.startsWith('(b)'))!;
      for (let i = 0; i < Math.min(flags.runs, 5); i++) {
        const cache = join(dir, `empty-cache-${i}`);
        firstRuns.push(await sampleOnce({ name: 'first', command: (code) => exchangeWith(cli, { XDG_CACHE_HOME: cache })(code) }));
        await waitForCodeCaches(cache);
        pairedBare.push(await sampleOnce(bareCase));
      }
      // The detector at 4,000 and at 16,000 tokens of each kind: 4 times the input, 4 times the time
      // when linear, 16 when quadratic (as each finding masked against every other once made it).
      const sanitize = timeSanitizeGrowth();
      const rows = cases.map((c) => {
        const s = samples.get(c.name)!;
        return { name: c.name, medianMs: median(s.map((x) => x.ms)), minMs: Math.min(...s.map((x) => x.ms)), maxMs: Math.max(...s.map((x) => x.ms)), peakRssMb: Math.max(...s.map((x) => x.maxRssKb)) / 1024 };
      });
      const row = (prefix: string) => rows.find((r) => r.name.startsWith(prefix));
      const bare = row('(b)')!;
      const targets = [
        { name: '(a)/(b) median', value: row('(a)')!.medianMs / bare.medianMs, limit: 0.75, unit: '' },
        ...(row("(a')") ? [{ name: "(a')/(b) median", value: row("(a')")!.medianMs / bare.medianMs, limit: 0.75, unit: '' }] : []),
        // Before the bundle and its caches, exchange ran at 1.06 × bare newman (../shared/reference/newman-startup.md, 2026-11-29).
        { name: 'first run after install / bare newman, medians of the pairs (exchange before the bundle: 1.06)', value: median(firstRuns.map((x) => x.ms)) / median(pairedBare.map((x) => x.ms)), limit: 1.06, unit: '' },
        // "api GET /user costs no more than whoami": the same request, so the same cost within noise (5 %).
        { name: '(f)/(e) median: api GET /user against whoami', value: row('(f)')!.medianMs / row('(e)')!.medianMs, limit: 1.05, unit: '' },
        // Linear is 4, quadratic 16; the larger heap's garbage collection alone makes it 3.4 to 5.6 here.
        { name: sanitize.name, value: sanitize.value, limit: 8, unit: '' },
        { name: 'exchange peak memory', value: Math.max(...rows.filter((r) => r.name.startsWith('(a')).map((r) => r.peakRssMb), ...firstRuns.map((x) => x.maxRssKb / 1024)), limit: 200, unit: ' MB' },
      ];
      out.line(`${flags.runs} runs per case after ${flags.warmup} warm-up, interleaved, each a fresh process; Node ${process.version}, mock on ${mock.origin}`);
      out.line('');
      out.line('| case | median ms | min ms | max ms | ratio to (b) | peak RSS MB |');
      out.line('| --- | ---: | ---: | ---: | ---: | ---: |');
      for (const r of rows) out.line(`| ${r.name} | ${r.medianMs.toFixed(0)} | ${r.minMs.toFixed(0)} | ${r.maxMs.toFixed(0)} | ${(r.medianMs / bare.medianMs).toFixed(2)} | ${r.peakRssMb.toFixed(0)} |`);
      out.line('');
      out.line(
        `First run after install (empty code cache, ${firstRuns.length} runs, each paired with a bare newman run): median ${median(firstRuns.map((x) => x.ms)).toFixed(0)} ms against ${median(pairedBare.map((x) => x.ms)).toFixed(0)} ms, peak RSS ${(Math.max(...firstRuns.map((x) => x.maxRssKb)) / 1024).toFixed(0)} MB.`,
      );
      out.line('');
      for (const t of targets) {
        const shown = t.unit ? `${t.value.toFixed(0)}${t.unit}` : t.value.toFixed(2);
        out.line(`${t.value <= t.limit ? 'met   ' : 'MISSED'} ${t.name}: ${shown} (target ≤ ${t.limit}${t.unit})`);
      }
      return { rows, sanitize_ms: sanitize.ms, first_runs_ms: firstRuns.map((x) => x.ms), paired_bare_ms: pairedBare.map((x) => x.ms), targets: targets.map((t) => ({ ...t, met: t.value <= t.limit })) };
    } finally {
      await mock.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
}
