// Spends the rate budget around every API request: reserve before sending (waiting when the
// minute's budget is spent, stopping when the day's is or when the wait would pass --timeout),
// then fold each answer's X-RateLimit-* back in.
import { NetworkError } from '../core/errors.js';
import { RATE_LIMITS } from '../dribbble/api-v2.js';
import type { HttpExchange } from '../http/http-exchange.js';
import { observe, readRateHeaders, release, reserve, type Grant, type RateBudget, type Reservation } from './rate-budget.js';
import { updateBudget } from './rate-budget-store.js';

/**
 * Where the shared budget is kept: reads a token's budget, lets `change` compute the new one and a
 * result, and writes it back, as one step for all commands (updateBudget: a file under a lock).
 */
export type BudgetStore = <T>(token: string, change: (budget: RateBudget) => { budget: RateBudget; result: T }, now: number) => Promise<T>;

export interface BudgetOptions {
  /** The longest the command may wait in all (--timeout when given); undefined: as long as a minute takes. */
  maxWaitMs?: number;
  /** A progress line (stderr). */
  progress(line: string): void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Default: the state folder's rate-budget.json (updateBudget). */
  store?: BudgetStore;
}

/** What settling a reservation needs of the options: the clock and the store. */
export type SettleOptions = Pick<BudgetOptions, 'now' | 'store'>;

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
export async function acquireRequests(token: string, want: number, options: BudgetOptions): Promise<Grant> {
  const now = options.now ?? Date.now;
  const store = options.store ?? updateBudget;
  const sleep = options.sleep ?? sleepFor;
  const started = now();
  let announced: number | undefined;
  for (;;) {
    const at = now();
    const reservation = await store<Reservation>(token, (budget) => {
      const r = reserve(budget, Math.max(1, want), at);
      return { budget: r.budget, result: r };
    }, at);
    if (reservation.granted > 0) return (reservation as Extract<Reservation, { grant: Grant }>).grant;
    const { waitUntilMs, exhausted, budget, held } = reservation as Extract<Reservation, { waitUntilMs: number }>;
    const perMinute = budget.minute?.limit ?? RATE_LIMITS.perMinute;
    const waitMs = Math.max(0, waitUntilMs - at);
    if (exhausted === 'day') {
      throw new NetworkError('rate_budget_day', `The day's rate limit is spent: Dribbble allows ${budget.day?.limit ?? RATE_LIMITS.perDay} requests a day per user, and this token has none left until ${new Date(waitUntilMs).toISOString().replace(/\.\d+Z$/, 'Z')} (in ${Math.ceil(waitMs / 60_000)} min). Nothing was sent; run the command again after that.`);
    }
    const left = options.maxWaitMs === undefined ? Infinity : options.maxWaitMs - (at - started);
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
 * Settles a reservation (all of `grant`): folds the answers into the budget and gives back the
 * `unused` ones, never sent, to the windows they were taken from if those have not reset since.
 */
export async function recordAnswers(token: string, grant: Grant, answers: readonly HttpExchange[], unused = 0, options: SettleOptions = {}): Promise<void> {
  const at = (options.now ?? Date.now)();
  await (options.store ?? updateBudget)(token, (budget) => ({ budget: answers.reduce((b, a) => observe(b, readRateHeaders(a.headers), at, a.status), release(budget, grant, unused, at)), result: undefined }), at);
}
