// npm run bench: exchange through the compiled CLI vs a bare `newman run` of the same request vs a
// plain fetch (the floor), each a fresh Node process against the bundled mock on 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags, parseWholeNumber } from './lib/cli-flags.js';
import { runCommand } from './lib/command-output.js';
import { ITEM_EXCHANGE } from './lib/collection-files.js';
import { ProtocolError } from './lib/errors.js';
import { COLLECTION_PATH, PACKAGE_ROOT } from './lib/collection-files.js';
import { MOCK_DEMO_CLIENT } from './lib/mock-defaults.js';
import { startMockServer, type MockServer } from './lib/mock-server.js';

interface Sample {
  ms: number;
  maxRssKb: number;
}

// Preloaded into every measured process: reports its peak resident memory on exit.
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

function measure(args: string[], probe: string, cwd: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--require', probe, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const rss = /__maxrss=(\d+)/.exec(stderr);
      if (code !== 0 || !rss) return reject(new ProtocolError('bench_run_failed', `${args.slice(0, 3).join(' ')} exited ${code}: ${stderr.split('\n').find(Boolean) ?? ''}`));
      resolve({ ms, maxRssKb: Number(rss[1]) });
    });
  });
}

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags<{ runs: number; warmup: number }>(argv, 'bench', 'Measures exchange (compiled CLI) against a bare newman run and a plain fetch, on the bundled mock.', {
    runs: { type: 'string', default: '9', describe: 'Measured runs per case' },
    warmup: { type: 'string', default: '2', describe: 'Unmeasured runs per case first' },
  });
  await runCommand(flags.json, async (out) => {
    flags.runs = parseWholeNumber(flags.runs, 'runs', 1, 1000, '15');
    flags.warmup = parseWholeNumber(flags.warmup, 'warmup', 0, 100, '2');
    const mock = await startMockServer({ port: 0 });
    const dir = await mkdtemp(join(tmpdir(), 'dribbble-oauth-bench-'));
    try {
      const probe = join(dir, 'rss-probe.cjs');
      await writeFile(probe, RSS_PROBE);
      await writeFile(join(dir, 'bench.env'), '# written by npm run bench\n');
      const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
      const newmanBin = join(createRequire(import.meta.url).resolve('newman/package.json'), '..', 'bin', 'newman.js');
      const collection = join(PACKAGE_ROOT, COLLECTION_PATH);
      const values = {
        client_id: MOCK_DEMO_CLIENT.clientId,
        client_secret: MOCK_DEMO_CLIENT.clientSecret,
        redirect_uri: MOCK_DEMO_CLIENT.redirectUri,
        oauth_base_url: mock.oauthBaseUrl,
      };
      const cases: Array<{ name: string; args: (code: string) => string[] }> = [
        {
          name: '(a) exchange, compiled CLI',
          args: (code) => ['--', cli, 'exchange', '--client-id', values.client_id, '--client-secret', values.client_secret, '--redirect-uri', values.redirect_uri, '--oauth-url', values.oauth_base_url, `--code=${code}`, '--env-file', join(dir, 'bench.env')],
        },
        {
          name: '(b) bare newman run --env-var',
          args: (code) => ['--', newmanBin, 'run', collection, '--folder', ITEM_EXCHANGE, ...Object.entries({ ...values, code }).flatMap(([k, v]) => ['--env-var', `${k}=${v}`])],
        },
        {
          name: '(c) node fetch POST (floor)',
          args: (code) => [
            '-e',
            `fetch(${JSON.stringify(`${values.oauth_base_url}/token`)}, { method: 'POST', body: new URLSearchParams(${JSON.stringify({ grant_type: 'authorization_code', ...values, code })}) }).then(async (r) => { const b = await r.json(); if (!b.access_token) process.exit(5); });`,
          ],
        },
      ];
      const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
      // Interleaved, so that drift in the machine's load hits every case alike.
      for (let round = 0; round < flags.warmup + flags.runs; round++) {
        for (const c of cases) {
          const sample = await measure(c.args(await freshCode(mock)), probe, dir);
          if (round >= flags.warmup) samples.get(c.name)!.push(sample);
        }
      }
      const rows = cases.map((c) => {
        const s = samples.get(c.name)!;
        return { name: c.name, medianMs: median(s.map((x) => x.ms)), minMs: Math.min(...s.map((x) => x.ms)), maxMs: Math.max(...s.map((x) => x.ms)), peakRssMb: Math.max(...s.map((x) => x.maxRssKb)) / 1024 };
      });
      const [a, b, c] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
      const targets = [
        { name: '(a)/(b) median', value: a.medianMs / b.medianMs, limit: 1.0, unit: '' },
        { name: 'cold exchange median', value: a.medianMs, limit: 1000, unit: ' ms' },
        { name: 'exchange peak memory', value: a.peakRssMb, limit: 200, unit: ' MB' },
      ];
      out.line(`${flags.runs} runs per case after ${flags.warmup} warm-up, each a fresh process; Node ${process.version}, mock on ${mock.origin}`);
      out.line('');
      out.line('| case | median ms | min ms | max ms | ratio to (c) | peak RSS MB |');
      out.line('| --- | ---: | ---: | ---: | ---: | ---: |');
      for (const r of rows) {
        out.line(`| ${r.name} | ${r.medianMs.toFixed(0)} | ${r.minMs.toFixed(0)} | ${r.maxMs.toFixed(0)} | ${(r.medianMs / c.medianMs).toFixed(2)} | ${r.peakRssMb.toFixed(0)} |`);
      }
      out.line('');
      for (const t of targets) {
        const shown = t.unit ? `${t.value.toFixed(0)}${t.unit}` : t.value.toFixed(2);
        out.line(`${t.value <= t.limit ? 'met   ' : 'MISSED'} ${t.name}: ${shown} (target ≤ ${t.limit}${t.unit})`);
      }
      return { rows, targets: targets.map((t) => ({ ...t, met: t.value <= t.limit })) };
    } finally {
      await mock.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
}
