// Dribbble's rate limit as a budget (60 a minute, 1,440 a day per user): pure arithmetic on the
// last known state of both windows, so that no request is sent that the budget cannot pay for.
// The state is what the server last said (X-RateLimit-*), less what this machine has reserved since.
import { RATE_LIMITS } from '../dribbble/api-v2.js';

export interface RateWindow {
  limit: number;
  remaining: number;
  /** Epoch milliseconds at which the window renews. */
  resetMs: number;
}

/**
 * Requests reserved by commands still running and not yet settled (sent, or given back unused)
 * in the minute window that resets at `resetMs`: what a waiting command may still see come back
 * before that reset. Only that window's: requests reserved in an earlier minute can no longer come
 * back to this one, and a command that died holding some is forgotten at the reset.
 */
export interface InFlight {
  count: number;
  resetMs: number;
}

/**
 * What a reservation granted and the windows it was taken from (their resets at that moment):
 * settling it gives the unused ones back to those windows only, and only while they last.
 */
export interface Grant {
  count: number;
  minuteResetMs: number;
  dayResetMs: number;
}

export interface RateBudget {
  minute?: RateWindow;
  day?: RateWindow;
  inFlight?: InFlight;
}

export type WindowName = 'minute' | 'day';

export const WINDOW_MS: Record<WindowName, number> = { minute: 60_000, day: 86_400_000 };
export const WINDOW_LIMIT: Record<WindowName, number> = { minute: RATE_LIMITS.perMinute, day: RATE_LIMITS.perDay };
/** Clocks differ and X-RateLimit-Reset is in whole seconds: wait this much past a reset. */
export const RESET_MARGIN_MS = 250;
/** Resets this close describe the same window (X-RateLimit-Reset is in whole seconds). */
const SAME_WINDOW_MS = 1000;

/**
 * Whether the window resetting at `resetMs` is, at `now`, still the one that reset at
 * `fromResetMs` when something was taken from it: neither is past, and they are the same window
 * (the server's reset may have moved it by up to a second, see observe).
 */
function sameWindow(resetMs: number | undefined, fromResetMs: number, now: number): boolean {
  return resetMs !== undefined && now < resetMs && now < fromResetMs && Math.abs(resetMs - fromResetMs) <= SAME_WINDOW_MS;
}

/** The window as it stands at `now`: past its reset it starts afresh (conservatively, from now). */
export function windowAt(window: RateWindow | undefined, name: WindowName, now: number): RateWindow {
  if (!window || now >= window.resetMs) return { limit: window?.limit ?? WINDOW_LIMIT[name], remaining: window?.limit ?? WINDOW_LIMIT[name], resetMs: now + WINDOW_MS[name] };
  return window;
}

// A window no server of Dribbble's describes: more requests than this, or a reset past its length.
const MAX_LIMIT = 1_000_000;
const RESET_SLACK_MS = 60_000;

/** The window if it is one Dribbble could have described at `now`, else undefined (a fresh start). */
function saneWindow(window: unknown, name: WindowName, now: number): RateWindow | undefined {
  const w = window as Partial<RateWindow> | undefined;
  const whole = (n: unknown, max: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max;
  if (!w || typeof w !== 'object' || !whole(w.limit, MAX_LIMIT) || !whole(w.remaining, w.limit) || typeof w.resetMs !== 'number' || !Number.isFinite(w.resetMs)) return undefined;
  return w.resetMs > now + WINDOW_MS[name] + RESET_SLACK_MS ? undefined : { limit: w.limit, remaining: w.remaining, resetMs: w.resetMs };
}

/** Requests reserved in the current minute and not yet settled at `now` (none once it is over). */
export function inFlightAt(budget: RateBudget, now: number): number {
  const f = budget.inFlight;
  return f && sameWindow(budget.minute?.resetMs, f.resetMs, now) ? f.count : 0;
}

function saneInFlight(raw: unknown, now: number): InFlight | undefined {
  const f = raw as Partial<InFlight> | undefined;
  if (!f || typeof f !== 'object' || typeof f.count !== 'number' || !Number.isInteger(f.count) || f.count <= 0 || f.count > MAX_LIMIT) return undefined;
  if (typeof f.resetMs !== 'number' || !Number.isFinite(f.resetMs) || f.resetMs <= now || f.resetMs > now + WINDOW_MS.minute + RESET_SLACK_MS) return undefined;
  return { count: f.count, resetMs: f.resetMs };
}

/** A stored budget, kept only where it makes sense: any JSON value gives a usable budget. */
export function sanitizeBudget(raw: unknown, now: number): RateBudget {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const minute = saneWindow(r.minute, 'minute', now);
  const day = saneWindow(r.day, 'day', now);
  const inFlight = saneInFlight(r.inFlight, now);
  return { ...(minute ? { minute } : {}), ...(day ? { day } : {}), ...(inFlight ? { inFlight } : {}) };
}

export type Reservation =
  | { granted: number; grant: Grant; budget: RateBudget }
  | { granted: 0; waitUntilMs: number; exhausted: WindowName; budget: RateBudget };

/**
 * Reserves up to `want` requests (at least 1 asked): as many as both windows still hold. When
 * none is left, says until when to wait and which window ran out (the day's first: it decides
 * whether waiting makes sense at all).
 */
export function reserve(budget: RateBudget, want: number, now: number): Reservation {
  const minute = windowAt(budget.minute, 'minute', now);
  const day = windowAt(budget.day, 'day', now);
  const granted = Math.max(0, Math.min(want, minute.remaining, day.remaining));
  const held = inFlightAt(budget, now);
  const inFlight = held > 0 ? { inFlight: budget.inFlight! } : {};
  if (granted === 0) {
    const exhausted: WindowName = day.remaining <= 0 ? 'day' : 'minute';
    const waitUntilMs = Math.max(day.remaining <= 0 ? day.resetMs : 0, minute.remaining <= 0 ? minute.resetMs : 0) + RESET_MARGIN_MS;
    return { granted: 0, waitUntilMs, exhausted, budget: { minute, day, ...inFlight } };
  }
  return {
    granted,
    grant: { count: granted, minuteResetMs: minute.resetMs, dayResetMs: day.resetMs },
    budget: { minute: { ...minute, remaining: minute.remaining - granted }, day: { ...day, remaining: day.remaining - granted }, inFlight: { count: held + granted, resetMs: minute.resetMs } },
  };
}

/**
 * Settles a reservation (all it granted): no longer in flight; the `unused` ones, never sent, go
 * back to the windows the grant was taken from while they last, never to a window begun since
 * (that one never paid for them: it could then send more than its limit).
 */
export function release(budget: RateBudget, grant: Grant, unused: number, now: number): RateBudget {
  const back = Math.max(0, Math.min(unused, grant.count));
  const give = (w: RateWindow | undefined, fromResetMs: number) => (w && back > 0 && sameWindow(w.resetMs, fromResetMs, now) ? { ...w, remaining: Math.min(w.limit, w.remaining + back) } : w);
  const held = inFlightAt(budget, now);
  // The grant is counted in flight only if it was reserved in the minute now counted.
  const left = held > 0 && sameWindow(budget.inFlight!.resetMs, grant.minuteResetMs, now) ? held - grant.count : held;
  const { minute, day } = budget;
  return {
    ...(minute ? { minute: give(minute, grant.minuteResetMs) } : {}),
    ...(day ? { day: give(day, grant.dayResetMs) } : {}),
    ...(left > 0 ? { inFlight: { count: left, resetMs: budget.inFlight!.resetMs } } : {}),
  };
}

export interface RateHeaders {
  limit?: number;
  remaining?: number;
  /** Epoch seconds, as X-RateLimit-Reset sends it. */
  reset?: number;
}

/** X-RateLimit-* of an answer (header names lower-case), each only when a whole number. */
export function readRateHeaders(headers: Record<string, string>): RateHeaders {
  const number = (name: string) => {
    const raw = headers[name]?.trim();
    return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
  };
  return { limit: number('x-ratelimit-limit'), remaining: number('x-ratelimit-remaining'), reset: number('x-ratelimit-reset') };
}

/**
 * Folds an answer's X-RateLimit-* into the budget. The headers describe the window that runs out
 * first: the day's when their limit or reset says so, else the minute's. Within the same window the lower remaining
 * wins (other requests may be under way); a window the server places elsewhere is taken as said.
 * A 429 empties the window until its reset.
 */
export function observe(budget: RateBudget, headers: RateHeaders, now: number, status?: number): RateBudget {
  // The day's window: a reset further off than a minute (without a reset: a limit above the minute's).
  const name: WindowName = headers.reset !== undefined ? (headers.reset * 1000 - now > WINDOW_MS.minute + 5_000 ? 'day' : 'minute') : headers.limit !== undefined && headers.limit > RATE_LIMITS.perMinute ? 'day' : 'minute';
  const known = budget[name] && now < budget[name]!.resetMs ? budget[name] : undefined;
  const limit = headers.limit !== undefined && headers.limit <= MAX_LIMIT ? headers.limit : (known?.limit ?? WINDOW_LIMIT[name]);
  // A reset further off than the day's window is no reset Dribbble sends: it is not believed.
  const believable = headers.reset !== undefined && headers.reset * 1000 > now - 1000 && headers.reset * 1000 <= now + WINDOW_MS.day + RESET_SLACK_MS;
  const resetMs = believable ? headers.reset! * 1000 : known?.resetMs;
  let remaining = status === 429 ? 0 : headers.remaining;
  if (remaining === undefined || resetMs === undefined) {
    return status === 429 && known ? { ...budget, [name]: { ...known, remaining: 0 } } : budget;
  }
  if (known && Math.abs(known.resetMs - resetMs) <= SAME_WINDOW_MS) remaining = Math.min(remaining, known.remaining);
  return { ...budget, [name]: { limit, remaining: Math.min(remaining, limit), resetMs: Math.max(resetMs, now) } };
}
