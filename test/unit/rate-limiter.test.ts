// The budget against the mock's own limiter, on a simulated clock: 70 calls in a row at
// Dribbble's real 60 a minute earn no 429, the 61st waits for the window's reset and says so;
// a spent day stops at once with its reset time; a wait past --timeout stops too. Concurrent
// commands (one paginating, others waiting) on a virtual clock: requests one reserved and did not
// use reach the others while they wait, and no minute window ever gets more than its limit, also
// when a reservation is settled after its minute's reset.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { fc, test as fcTest } from '../support/property.js';
import { acquireRequests, recordAnswers, type BudgetStore } from '../../scripts/lib/api/rate-limiter.js';
import { sanitizeBudget } from '../../scripts/lib/api/rate-budget.js';
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
    const grant = await acquireRequests(token, 1, { ...options, maxWaitMs });
    clock += 150;
    const decision = limiter.take(1);
    const headers = Object.fromEntries(Object.entries(decision.headers).map(([k, v]) => [k.toLowerCase(), v]));
    await recordAnswers(token, grant, [{ status: decision.allowed ? 200 : 429, headers, body: '{}' }], 0, { now: () => clock });
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
    await expect(acquireRequests('token-e', 1, { progress: () => {}, maxWaitMs: 0 })).resolves.toMatchObject({ count: 1 });
  });

  test('concurrent reservations share one budget through the lock: never more than the minute holds in all', async () => {
    const options = { progress: () => {}, maxWaitMs: 0 };
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, () => acquireRequests('token-f', 3, options)));
    const granted = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.count] : []));
    expect(granted.reduce((a, b) => a + b, 0)).toBe(60);
    expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof NetworkError)).toBe(true);
  });
});

const T0 = 1_800_000_000_000;
/** Three answered pages without X-RateLimit-* (the budget alone decides). */
const threePages = [0, 1, 2].map(() => ({ status: 200, headers: {}, body: '[]' }));

describe('a command waiting for budget sees what others give back', () => {
  /**
   * Command A (paginating) reserved the whole minute, sends 3 pages and gives back 57 when its run
   * ends, `releaseAfterMs` after command B began to wait. B's sleeps move the clock.
   */
  async function waiterScenario(token: string, releaseAfterMs: number, maxWaitMs?: number) {
    let clock = T0;
    const now = () => clock;
    const holding = await acquireRequests(token, 100, { progress: () => {}, now });
    expect(holding.count).toBe(60);
    let released = false;
    const progress: string[] = [];
    const sleep = async (ms: number) => {
      clock += ms;
      if (!released && clock - T0 >= releaseAfterMs) {
        released = true;
        await recordAnswers(token, holding, threePages, 57, { now });
      }
    };
    const granted = acquireRequests(token, 1, { progress: (line) => progress.push(line), now, sleep, maxWaitMs });
    return { granted, progress, waitedMs: async () => (await granted, clock - T0), elapsed: () => clock - T0 };
  }

  test('with --timeout shorter than the reset: the requests given back mid-wait are taken, not exit 4', async () => {
    const b = await waiterScenario('token-g', 2000, 10_000);
    await expect(b.granted).resolves.toMatchObject({ count: 1 });
    expect(await b.waitedMs()).toBeLessThanOrEqual(3000);
    expect(b.progress).toHaveLength(1);
    expect(b.progress[0]).toMatch(/^Rate limit: the minute's 60 requests are taken, 60 of them by commands still running; waiting up to 10 s \(--timeout\)/);
  });

  test('without --timeout: taken within a recheck of their release, not at the minute\'s reset', async () => {
    const b = await waiterScenario('token-h', 2000);
    await expect(b.granted).resolves.toMatchObject({ count: 1 });
    expect(await b.waitedMs()).toBeLessThanOrEqual(3000);
  });

  test('requests held by a command that never gives them back: the waiter stops at its deadline (exit 4), not before, nothing sent', async () => {
    const b = await waiterScenario('token-i', Infinity, 5000);
    await expect(b.granted).rejects.toThrow(/60 of them reserved by commands still running\); it resets at .* which is past --timeout 5000 ms/);
    expect(b.elapsed()).toBe(5000);
  });
});

/**
 * A virtual clock for concurrent tasks: a sleep is a timer; when every task is asleep (none
 * running, none in the budget file's lock), the clock jumps to the earliest timer and wakes it.
 */
function virtualClock(start: number) {
  let clock = start;
  let running = 0;
  const timers: Array<{ at: number; wake: () => void }> = [];
  const now = () => clock;
  const sleep = (ms: number) =>
    new Promise<void>((wake) => {
      timers.push({ at: clock + ms, wake });
      running--;
    });
  const spawn = <T>(body: () => Promise<T>): Promise<T> => {
    running++;
    return body().finally(() => void running--);
  };
  const settle = async <T>(tasks: Array<Promise<T>>) => {
    let done = false;
    const all = Promise.allSettled(tasks).finally(() => void (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      if (running === 0 && timers.length) {
        timers.sort((x, y) => x.at - y.at);
        const timer = timers.shift()!;
        clock = Math.max(clock, timer.at);
        running++;
        timer.wake();
      }
    }
    return all;
  };
  return { now, sleep, spawn, settle };
}

/**
 * The budget store in memory, kept as the file keeps it (JSON, sanitized when read), each change
 * one step: the same budget logic without a disk and a lock to wait on in real time (which made
 * a run of this property cost about 200 ms).
 */
function memoryStore(): BudgetStore {
  const kept = new Map<string, string>();
  return async (token, change, now) => {
    const { budget, result } = change(sanitizeBudget(JSON.parse(kept.get(token) ?? '{}'), now));
    kept.set(token, JSON.stringify(budget));
    return result;
  };
}

/** A time in the first minute, or about its reset (where reservations of one minute meet the next). */
const aroundReset = (early: number) => fc.oneof(fc.integer({ min: 0, max: early }), fc.integer({ min: 55_000, max: 75_000 }));
const waiterArb = fc.record({
  startAfterMs: aroundReset(8_000),
  want: fc.integer({ min: 1, max: 30 }),
  /** Of those granted, left unused (at least one is sent, at once). */
  spare: fc.integer({ min: 0, max: 3 }),
  /** How long after its grant it settles: past the reset at times. */
  holdMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 70_000 })),
  maxWaitMs: fc.constantFrom(10_000, undefined),
});

fcTest.prop([fc.integer({ min: 1, max: 10 }), aroundReset(8_000), fc.array(waiterArb, { minLength: 1, maxLength: 6 })], { numRuns: 100 })(
  'a paginating command holds the minute and gives back what it did not use, in its minute or after the reset: never more than 60 are sent in any minute window, and the waiters get what is given back in time',
  async (used, releaseAfterMs, waiters) => {
    const token = 'token-prop';
    const time = virtualClock(T0);
    const options = { progress: () => {}, now: time.now, sleep: time.sleep, store: memoryStore() };
    // Sends per minute window, as Dribbble counts them: a window opens at the first request in it.
    const windows: Array<{ start: number; sent: number }> = [];
    const send = (n: number) => {
      const at = time.now();
      let w = windows.at(-1);
      if (!w || at - w.start >= 60_000) windows.push((w = { start: at, sent: 0 }));
      w.sent += n;
    };
    const paginating = await acquireRequests(token, 100, options);
    send(used);
    const tasks = [
      time.spawn(async () => {
        await time.sleep(releaseAfterMs);
        await recordAnswers(token, paginating, [], paginating.count - used, options);
        return 0;
      }),
      ...waiters.map(({ startAfterMs, want, spare, holdMs, maxWaitMs }) =>
        time.spawn(async () => {
          await time.sleep(startAfterMs);
          const grant = await acquireRequests(token, want, { ...options, maxWaitMs });
          const sent = Math.max(1, grant.count - spare);
          send(sent);
          await time.sleep(holdMs);
          await recordAnswers(token, grant, [], grant.count - sent, options);
          return grant.count;
        }),
      ),
    ];
    const outcomes = await time.settle(tasks);
    // The guarantee across commands: no minute window ever gets more than 60.
    expect(windows.filter((w) => w.sent > 60)).toEqual([]);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(NetworkError);
    // Without --timeout a command waits for the reset: never exit 4.
    waiters.forEach((w, i) => w.maxWaitMs === undefined && expect(outcomes[i + 1]!.status).toBe('fulfilled'));
    // Given back within 8 s, and all fits in the minute: enough comes back for every waiter, none stops with exit 4.
    if (releaseAfterMs <= 8_000 && used + waiters.reduce((a, w) => a + w.want, 0) <= 60) expect(outcomes.map((o) => o.status)).not.toContain('rejected');
  },
);

/**
 * Audit finding: four concurrent `api --paginate` runs (100 requests against 60 a minute) earned
 * 429s. Commands as they run: a Newman run starts a moment after its reservation, sends its pages
 * one after the other (each takes a while), stops at the last page or when an answer says none is
 * left, then settles; the server (the mock's limiter) opens its window at its first request, not
 * when a command guessed. The shared budget must never let the server see a request past its limit.
 */
fcTest.prop(
  [
    fc.array(fc.record({ startAfterMs: fc.integer({ min: 0, max: 3_000 }), pages: fc.integer({ min: 1, max: 40 }), startupMs: fc.integer({ min: 50, max: 2_000 }), perPageMs: fc.integer({ min: 20, max: 400 }) }), { minLength: 2, maxLength: 5 }),
    fc.integer({ min: 0, max: 59 }),
  ],
  { numRuns: 60 },
)('concurrent paginating commands, the server counting: no 429, whatever the server spent before', async (commands, spentBefore) => {
  const token = 'token-pages';
  const time = virtualClock(T0);
  const limiter = new RateLimiter({ perMinute: 60 }, time.now);
  const options = { progress: () => {}, now: time.now, sleep: time.sleep, store: memoryStore() };
  // Another client (same token) spent some a moment ago; its last answer is known (a `GET /user` of the tool).
  for (let i = 0; i < spentBefore; i++) limiter.take(1);
  if (spentBefore) {
    const headers = Object.fromEntries(Object.entries(limiter.take(1).headers).map(([k, v]) => [k.toLowerCase(), v]));
    await recordAnswers(token, await acquireRequests(token, 1, options), [{ status: 200, headers, body: '{}' }], 0, options);
  }
  let refused = 0;
  const tasks = commands.map(({ startAfterMs, pages, startupMs, perPageMs }) =>
    time.spawn(async () => {
      await time.sleep(startAfterMs);
      let read = 0;
      for (let runs = 0; read < pages; runs++) {
        const grant = await acquireRequests(token, Math.min(4 * 2 ** runs, 60, pages - read), options);
        await time.sleep(startupMs);
        const answers = [];
        for (let i = 0; i < grant.count && read < pages; i++) {
          await time.sleep(perPageMs);
          const decision = limiter.take(1);
          const headers = Object.fromEntries(Object.entries(decision.headers).map(([k, v]) => [k.toLowerCase(), v]));
          answers.push({ status: decision.allowed ? 200 : 429, headers, body: '[]' });
          if (!decision.allowed) {
            refused++;
            break;
          }
          read++;
          // The loop script: no next page once an answer says none is left.
          if (headers['x-ratelimit-remaining'] === '0') break;
        }
        await recordAnswers(token, grant, answers, grant.count - answers.length, options);
        if (answers.some((a) => a.status === 429)) return;
      }
    }),
  );
  await time.settle(tasks);
  expect(refused).toBe(0);
});
