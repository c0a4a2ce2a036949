// Spends the rate budget around every API request: reserve before sending (waiting when the
// minute's budget is spent, stopping when the day's is or when the wait would pass --timeout),
// then fold each answer's X-RateLimit-* back in.
import { NetworkError } from '../core/errors.js';
import { RATE_LIMITS } from '../dribbble/api-v2.js';
import type { HttpExchange } from '../http/http-exchange.js';
import { inFlightAt, observe, readRateHeaders, release, reserve, type Reservation } from './rate-budget.js';
import { updateBudget } from './rate-budget-store.js';

export interface BudgetOptions {
  /** The longest the command may wait in all (--timeout when given); undefined: as long as a minute takes. */
  maxWaitMs?: number;
  /** A progress line (stderr). */
  progress(line: string): void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const clockTime = (ms: number) => `${new Date(ms).toISOString().slice(11, 19)} UTC`;
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * How often a waiting command looks at the shared budget again: requests another command
 * reserved and did not use come back when it settles, and a waiter takes them then, not at the
 * minute's reset.
 */
export const RECHECK_MS = 1000;

/**
 * Reserves up to `want` requests for the token (at least one), waiting as the budget requires:
 * until the minute's reset, looking again every RECHECK_MS for requests other commands give
 * back. Past `maxWaitMs` it stops (exit 4), at once when nothing held elsewhere can come back
 * before the deadline.
 */
export async function acquireRequests(token: string, want: number, options: BudgetOptions): Promise<number> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepFor;
  const started = now();
  let announced: number | undefined;
  for (;;) {
    const at = now();
    const reservation = await updateBudget<Reservation>(token, (budget) => {
      const r = reserve(budget, Math.max(1, want), at);
      return { budget: r.budget, result: r };
    }, at);
    if (reservation.granted > 0) return reservation.granted;
    const { waitUntilMs, exhausted, budget } = reservation as Extract<Reservation, { waitUntilMs: number }>;
    const perMinute = budget.minute?.limit ?? RATE_LIMITS.perMinute;
    const waitMs = Math.max(0, waitUntilMs - at);
    if (exhausted === 'day') {
      throw new NetworkError('rate_budget_day', `The day's rate limit is spent: Dribbble allows ${budget.day?.limit ?? RATE_LIMITS.perDay} requests a day per user, and this token has none left until ${new Date(waitUntilMs).toISOString().replace(/\.\d+Z$/, 'Z')} (in ${Math.ceil(waitMs / 60_000)} min). Nothing was sent; run the command again after that.`);
    }
    const left = options.maxWaitMs === undefined ? Infinity : options.maxWaitMs - (at - started);
    const held = inFlightAt(budget, at);
    if (waitMs > left) {
      // The reset is past the deadline: only requests held by commands still running can come in time.
      if (held <= 0 || left <= 0) {
        throw new NetworkError('rate_budget_wait', `The minute's rate limit is spent (${perMinute} requests a minute per user${held > 0 ? `, ${held} of them reserved by commands still running` : ''}); it resets at ${clockTime(waitUntilMs)}, in ${Math.ceil(waitMs / 1000)} s, which is past --timeout ${options.maxWaitMs} ms. Nothing more was sent; run the command again after the reset, or allow the wait with a larger --timeout.`);
      }
      if (announced !== -waitUntilMs) options.progress(`Rate limit: the minute's ${perMinute} requests are taken, ${held} of them by commands still running; waiting up to ${Math.ceil(left / 1000)} s (--timeout) for those they do not use ...`);
      announced = -waitUntilMs;
      await sleep(Math.min(RECHECK_MS, left));
      continue;
    }
    if (announced !== waitUntilMs) options.progress(`Rate limit: the minute's ${perMinute} requests are spent; waiting ${Math.ceil(waitMs / 1000)} s until ${clockTime(waitUntilMs)} ...`);
    announced = waitUntilMs;
    await sleep(Math.min(RECHECK_MS, waitMs));
  }
}

/**
 * Settles a reservation of `granted` requests (default: the answers and the unused ones): folds
 * the answers into the budget and gives back the `unused` ones, never sent.
 */
export async function recordAnswers(token: string, answers: readonly HttpExchange[], unused = 0, now: () => number = Date.now, granted = answers.length + unused): Promise<void> {
  const at = now();
  await updateBudget(token, (budget) => ({ budget: answers.reduce((b, a) => observe(b, readRateHeaders(a.headers), at, a.status), release(budget, unused, at, granted)), result: undefined }), at);
}
