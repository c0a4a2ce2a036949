// The rate limit as a budget: never more granted than both windows hold, waits computed from the
// reset, the server's headers folded in without ever raising what is left within a window.
import { describe, expect, test } from 'vitest';
import { fc, test as fcTest } from '../support/property.js';
import { RESET_MARGIN_MS, inFlightAt, observe, readRateHeaders, release, reserve, sanitizeBudget, windowAt, type Grant, type RateBudget, type Reservation } from '../../scripts/lib/api/rate-budget.js';

const NOW = 1_800_000_000_000;
const windowArb = (limit: number, lengthMs: number) =>
  fc.option(fc.record({ limit: fc.constant(limit), remaining: fc.integer({ min: 0, max: limit }), resetMs: fc.integer({ min: NOW - lengthMs, max: NOW + lengthMs }) }), { nil: undefined });
const budgetArb = fc.record({ minute: windowArb(60, 60_000), day: windowArb(1440, 86_400_000) });
/** The grant of a reservation that granted some. */
function grantOf(r: Reservation): Grant {
  if (!('grant' in r)) throw new Error(`nothing granted: ${JSON.stringify(r)}`);
  return r.grant;
}

describe('reserve', () => {
  fcTest.prop([budgetArb, fc.integer({ min: 1, max: 200 })])('never grants more than either window holds, and takes exactly what it grants', (budget, want) => {
    const minute = windowAt(budget.minute, 'minute', NOW);
    const day = windowAt(budget.day, 'day', NOW);
    const r = reserve(budget, want, NOW);
    expect(r.granted).toBeLessThanOrEqual(Math.min(want, minute.remaining, day.remaining));
    expect(r.granted).toBeGreaterThanOrEqual(0);
    if (r.granted > 0) {
      expect(r.budget.minute!.remaining).toBe(minute.remaining - r.granted);
      expect(r.budget.day!.remaining).toBe(day.remaining - r.granted);
    } else {
      expect(minute.remaining === 0 || day.remaining === 0).toBe(true);
    }
  });

  fcTest.prop([budgetArb, fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 30 })])('a run of reservations within one moment never spends more than the minute holds', (budget, wants) => {
    let current: RateBudget = budget;
    let total = 0;
    const start = windowAt(budget.minute, 'minute', NOW).remaining;
    for (const want of wants) {
      const r = reserve(current, want, NOW);
      total += r.granted;
      current = r.budget;
    }
    expect(total).toBeLessThanOrEqual(start);
  });

  fcTest.prop([fc.integer({ min: 1, max: 60_000 }), fc.integer({ min: 1, max: 50 })])('a spent minute: wait until its reset (plus the margin), no grant', (inMs, want) => {
    const r = reserve({ minute: { limit: 60, remaining: 0, resetMs: NOW + inMs } }, want, NOW);
    expect(r.granted).toBe(0);
    expect('waitUntilMs' in r && r.waitUntilMs).toBe(NOW + inMs + RESET_MARGIN_MS);
    expect('exhausted' in r && r.exhausted).toBe('minute');
  });

  test('a spent day wins over a spent minute, and waits for the day', () => {
    const r = reserve({ minute: { limit: 60, remaining: 0, resetMs: NOW + 5_000 }, day: { limit: 1440, remaining: 0, resetMs: NOW + 3_600_000 } }, 1, NOW);
    expect(r).toMatchObject({ granted: 0, exhausted: 'day', waitUntilMs: NOW + 3_600_000 + RESET_MARGIN_MS });
  });

  test('a window past its reset starts afresh', () => {
    expect(reserve({ minute: { limit: 60, remaining: 0, resetMs: NOW - 1 } }, 100, NOW).granted).toBe(60);
  });
});

describe('observe', () => {
  fcTest.prop([budgetArb, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })])('within the same window the lower remaining wins', (budget, mine, theirs) => {
    const resetMs = NOW + 30_000;
    const before: RateBudget = { ...budget, minute: { limit: 60, remaining: mine, resetMs } };
    const after = observe(before, { limit: 60, remaining: theirs, reset: resetMs / 1000 }, NOW);
    expect(after.minute!.remaining).toBe(Math.min(mine, theirs));
    expect(after.day).toEqual(budget.day);
  });

  test('a new window from the server is taken as said; a 429 empties it', () => {
    const old: RateBudget = { minute: { limit: 60, remaining: 3, resetMs: NOW + 1_000 } };
    expect(observe(old, { limit: 60, remaining: 59, reset: (NOW + 60_000) / 1000 }, NOW).minute).toEqual({ limit: 60, remaining: 59, resetMs: NOW + 60_000 });
    expect(observe(old, { limit: 60, remaining: 10, reset: (NOW + 1_000) / 1000 }, NOW, 429).minute!.remaining).toBe(0);
  });

  // Audit finding: four concurrent --paginate earned 429s. The server's window began at its first
  // request, not at this machine's guess, and its remaining was copied as said: requests other
  // commands had reserved and not sent yet were no longer counted, and were granted again.
  test('a window the server places elsewhere is taken less what is reserved and not settled, which stays in flight with it', () => {
    const a = reserve({}, 16, NOW);
    const serverReset = Math.ceil((NOW + 61_700) / 1000);
    const seen = observe(release(a.budget, { ...grantOf(a), count: 0 }, 0, NOW + 2_000), { limit: 60, remaining: 59, reset: serverReset }, NOW + 2_000);
    expect(seen.minute).toEqual({ limit: 60, remaining: 59 - 16, resetMs: serverReset * 1000 });
    expect(inFlightAt(seen, NOW + 2_000)).toBe(16);
    // Settled in the server's window, the grant gives its unused back to it (they were subtracted from it).
    const settled = release(seen, grantOf(a), 10, NOW + 3_000);
    expect(settled.minute!.remaining).toBe(59 - 16 + 10);
    expect(inFlightAt(settled, NOW + 3_000)).toBe(0);
  });

  test('a day limit in the headers describes the day', () => {
    const after = observe({}, { limit: 1440, remaining: 7, reset: (NOW + 3_600_000) / 1000 }, NOW);
    expect(after.day).toEqual({ limit: 1440, remaining: 7, resetMs: NOW + 3_600_000 });
    expect(after.minute).toBeUndefined();
  });

  test('no headers change nothing', () => {
    const budget: RateBudget = { minute: { limit: 60, remaining: 5, resetMs: NOW + 1_000 } };
    expect(observe(budget, {}, NOW)).toBe(budget);
  });
});

describe('release and readRateHeaders', () => {
  fcTest.prop([fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 100 })])('giving back never exceeds the limit', (remaining, unused) => {
    const grant: Grant = { count: 100, minuteResetMs: NOW + 1, dayResetMs: NOW + 86_400_000 };
    const after = release({ minute: { limit: 60, remaining, resetMs: NOW + 1 } }, grant, unused, NOW);
    expect(after.minute!.remaining).toBe(Math.min(60, remaining + unused));
  });

  test('settled within its window, a reservation gives back its unused and is no longer in flight (others still are)', () => {
    const a = reserve({}, 10, NOW);
    const b = reserve(a.budget, 20, NOW + 1_000);
    expect(inFlightAt(b.budget, NOW + 1_000)).toBe(30);
    const after = release(b.budget, grantOf(a), 7, NOW + 2_000);
    expect(after.minute!.remaining).toBe(60 - 30 + 7);
    expect(after.day!.remaining).toBe(1440 - 30 + 7);
    expect(inFlightAt(after, NOW + 2_000)).toBe(20);
    // The server moved the window's reset by under a second (observe): still the same window
    // (nothing sent yet: the server's 60 less the 30 in flight).
    const moved = observe(b.budget, { limit: 60, remaining: 60, reset: Math.ceil((NOW + 60_500) / 1000) }, NOW + 1_500);
    expect(release(moved, grantOf(a), 7, NOW + 2_000).minute!.remaining).toBe(30 + 7);
  });

  // Audit finding: release() gave unused requests back to whatever window was current, so a
  // command that reserved in one minute and ended after its reset added them to the next minute,
  // which could then send more than 60.
  test('unused requests from a reservation in an old window are not added to a new window', () => {
    // Command A reserves the whole minute (window A) and sends 3.
    const a = reserve({}, 60, NOW);
    expect(a.granted).toBe(60);
    // After A's window reset, command B asks for the whole of window B: A's 60 are not settled and
    // may still be sent into it (a run reserved before a reset sends its pages after it), so none yet.
    const inB = NOW + 60_000 + RESET_MARGIN_MS;
    const b = reserve(a.budget, 60, inB);
    expect(b).toMatchObject({ granted: 0, held: 60 });
    // A ends and gives back its 57 unused: window A is over, so they go nowhere; window B then
    // holds its own 60, never 60 more.
    const after = release(b.budget, grantOf(a), 57, inB + 1_000);
    expect(inFlightAt(after, inB + 1_000)).toBe(0);
    const b2 = reserve(after, 100, inB + 1_000);
    expect(b2.granted).toBe(60);
    expect(reserve(b2.budget, 1, inB + 1_000).granted).toBe(0);
    expect(inFlightAt(b2.budget, inB + 1_000)).toBe(60);
  });

  test("unused requests from a reservation in an old day are not added to the new day (the minute's are)", () => {
    const a = reserve({ day: { limit: 1440, remaining: 10, resetMs: NOW + 5_000 } }, 10, NOW);
    expect(a.granted).toBe(10);
    const inNewDay = NOW + 6_000;
    const b = reserve(a.budget, 5, inNewDay);
    expect(b.granted).toBe(5);
    const after = release(b.budget, grantOf(a), 8, inNewDay + 1_000);
    // The minute is still the one A reserved in: its 8 come back there, not to the new day.
    expect(after.minute!.remaining).toBe(60 - 10 - 5 + 8);
    expect(after.day!.remaining).toBe(1440 - 5);
  });

  test('only whole numbers are read', () => {
    expect(readRateHeaders({ 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': ' 12 ', 'x-ratelimit-reset': '1.5e9' })).toEqual({ limit: 60, remaining: 12, reset: undefined });
  });
});

// Audit findings: a damaged rate-budget.json crashed every call (exit 1); one answer with
// X-RateLimit-Reset in the year 5138 locked the token out until then.
describe('what is stored or sent is believed only when Dribbble could have said it', () => {
  fcTest.prop([fc.jsonValue()])('any stored JSON gives a budget that reserve can use, never a throw', (raw) => {
    const budget = sanitizeBudget(raw, NOW);
    const r = reserve(budget, 5, NOW);
    expect(Number.isFinite(r.granted)).toBe(true);
    if (r.granted === 0) expect(new Date((r as { waitUntilMs: number }).waitUntilMs).toISOString()).toBeTruthy();
  });

  test.each([
    [{ minute: { limit: 60, remaining: 0, resetMs: 'x' } }],
    [{ day: [] }],
    [{ minute: { limit: 'x', remaining: -1 } }],
    [{ day: { limit: 1440, remaining: 0, resetMs: 9e15 } }],
  ])('%j is dropped, not trusted', (raw) => {
    expect(sanitizeBudget(raw, NOW)).toEqual({});
  });

  test('a reset past the day window (or a limit past all reason) is not believed', () => {
    const far = observe({}, { limit: 1440, remaining: 0, reset: 99_999_999_999 }, NOW, 200);
    expect(reserve(far, 1, NOW).granted).toBe(1);
    const huge = observe({}, { limit: 9_000_000_000_000, remaining: 0, reset: Math.floor(NOW / 1000) + 30 }, NOW, 200);
    expect(huge.minute?.limit).toBe(60);
  });
});
