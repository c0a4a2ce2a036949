// The budget against the mock's own limiter, on a simulated clock: 70 calls in a row at
// Dribbble's real 60 a minute earn no 429, the 61st waits for the window's reset and says so;
// a spent day stops at once with its reset time; a wait past --timeout stops too.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { acquireRequests, recordAnswers } from '../../scripts/lib/api/rate-limiter.js';
import { RateLimiter } from '../../scripts/lib/mock/rate-limit.js';
import { NetworkError } from '../../scripts/lib/core/errors.js';

beforeEach(() => {
  process.env.XDG_STATE_HOME = mkdtempSync(join(tmpdir(), 'dribbble-oauth-budget-'));
});

function simulation(limits: ConstructorParameters<typeof RateLimiter>[0]) {
  let clock = 1_800_000_000_000;
  const limiter = new RateLimiter(limits, () => clock);
  const progress: string[] = [];
  const options = { progress: (line: string) => progress.push(line), now: () => clock, sleep: async (ms: number) => void (clock += ms) };
  /** One `api GET /user`: reserve, send (the mock decides), record the answer. */
  const call = async (token: string, maxWaitMs?: number) => {
    await acquireRequests(token, 1, { ...options, maxWaitMs });
    clock += 150;
    const decision = limiter.take(1);
    const headers = Object.fromEntries(Object.entries(decision.headers).map(([k, v]) => [k.toLowerCase(), v]));
    await recordAnswers(token, [{ status: decision.allowed ? 200 : 429, headers, body: '{}' }], 0, () => clock);
    return decision.allowed;
  };
  return { call, progress, now: () => clock };
}

describe('acquireRequests against the mock limiter', () => {
  test('70 calls in a row at 60 a minute: no 429, the 61st waited for the reset and said so', async () => {
    const sim = simulation({ perMinute: 60 });
    const started = sim.now();
    const outcomes: boolean[] = [];
    for (let i = 0; i < 70; i++) outcomes.push(await sim.call('token-a'));
    expect(outcomes.every(Boolean)).toBe(true);
    expect(sim.progress).toHaveLength(1);
    expect(sim.progress[0]).toMatch(/^Rate limit: the minute's 60 requests are spent; waiting \d+ s until \d\d:\d\d:\d\d UTC/);
    // It waited for the window's end, not much longer.
    expect(sim.now() - started).toBeGreaterThan(60_000);
    expect(sim.now() - started).toBeLessThan(60_000 + 10 * 150 + 2_000);
  });

  test('a wait past --timeout is exit 4 with the reset time, and nothing is sent', async () => {
    const sim = simulation({ perMinute: 3 });
    for (let i = 0; i < 3; i++) await sim.call('token-b');
    await expect(sim.call('token-b', 1000)).rejects.toThrow(/resets at \d\d:\d\d:\d\d UTC, in \d+ s, which is past --timeout 1000 ms/);
    await expect(sim.call('token-b', 1000)).rejects.toBeInstanceOf(NetworkError);
  });

  test("a spent day stops at once (exit 4) with the day's reset, without waiting", async () => {
    const sim = simulation({ perMinute: 60, perDay: 5 });
    for (let i = 0; i < 5; i++) expect(await sim.call('token-c')).toBe(true);
    const before = sim.now();
    await expect(sim.call('token-c')).rejects.toThrow(/The day's rate limit is spent.*none left until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    expect(sim.now()).toBe(before);
  });

  test('budgets are per token', async () => {
    const sim = simulation({ perMinute: 2 });
    await sim.call('token-d');
    await sim.call('token-d');
    await expect(sim.call('token-d', 0)).rejects.toBeInstanceOf(NetworkError);
    // Another token (another user on Dribbble) starts with its own budget.
    await expect(acquireRequests('token-e', 1, { progress: () => {}, maxWaitMs: 0 })).resolves.toBe(1);
  });

  test('concurrent reservations share one budget through the lock: never more than the minute holds in all', async () => {
    const options = { progress: () => {}, maxWaitMs: 0 };
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, () => acquireRequests('token-f', 3, options)));
    const granted = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(granted.reduce((a, b) => a + b, 0)).toBe(60);
    expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof NetworkError)).toBe(true);
  });
});
