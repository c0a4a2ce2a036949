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
 * Requests reserved by commands still running and not yet settled (sent, or given back unused),
 * counted with the minute window that resets at `resetMs`: what a waiting command may still see
 * come back before that reset, and what may still be sent in it. They move with the window when
 * the server places it elsewhere (observe) and are carried into a minute begun before they settle
 * (a run reserved before a reset sends its pages after it): that minute starts with that much
 * less. A command that died holding some is forgotten a minute after their window's reset.
 */
export interface InFlight {
  count: number;
  resetMs: number;
  /** When the first of them was reserved: a grant reserved since is counted here (see release). */
  sinceMs?: number;
}

/**
 * What a reservation granted and the windows it was taken from (their resets at that moment):
 * settling it gives the unused ones back to those windows only, and only while they last.
 */
export interface Grant {
  count: number;
  minuteResetMs: number;
  dayResetMs: number;
  /** When it was reserved. */
  reservedMs?: number;
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

/**
 * Requests reserved and not yet settled that may still be sent at `now`: those of the current
 * minute, and those of the minute just past (a run reserved before a reset sends its pages after
 * it, into the next window); forgotten a minute after their window's reset.
 */
export function pendingAt(budget: RateBudget, now: number): number {
  const f = budget.inFlight;
  return f && now < f.resetMs + WINDOW_MS.minute ? f.count : 0;
}

function saneInFlight(raw: unknown, now: number): InFlight | undefined {
  const f = raw as Partial<InFlight> | undefined;
  if (!f || typeof f !== 'object' || typeof f.count !== 'number' || !Number.isInteger(f.count) || f.count <= 0 || f.count > MAX_LIMIT) return undefined;
  if (typeof f.resetMs !== 'number' || !Number.isFinite(f.resetMs) || f.resetMs + WINDOW_MS.minute <= now || f.resetMs > now + WINDOW_MS.minute + RESET_SLACK_MS) return undefined;
  const since = typeof f.sinceMs === 'number' && Number.isFinite(f.sinceMs) && f.sinceMs <= now ? { sinceMs: f.sinceMs } : {};
  return { count: f.count, resetMs: f.resetMs, ...since };
}

/**
 * Whether `grant` is among the requests the budget holds in flight: reserved since that count
 * began (it follows the minute window when the server places it elsewhere, see observe), or, for
 * a grant that does not say when, reserved in the same minute window.
 */
function countedInFlight(budget: RateBudget, grant: Grant, now: number): boolean {
  const f = budget.inFlight;
  if (!f || inFlightAt(budget, now) <= 0) return false;
  if (grant.reservedMs !== undefined && f.sinceMs !== undefined) return grant.reservedMs >= f.sinceMs;
  return sameWindow(f.resetMs, grant.minuteResetMs, now);
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
  | { granted: 0; waitUntilMs: number; exhausted: WindowName; budget: RateBudget; held: number };

/**
 * Reserves up to `want` requests (at least 1 asked): as many as both windows still hold. When
 * none is left, says until when to wait and which window ran out (the day's first: it decides
 * whether waiting makes sense at all).
 */
export function reserve(budget: RateBudget, want: number, now: number): Reservation {
  // A minute begun since the last reservation: what was reserved before and not settled may
  // still be sent into it, so it starts with that much less, and those stay counted in flight.
  const fresh = !budget.minute || now >= budget.minute.resetMs;
  const carried = fresh && inFlightAt(budget, now) === 0 ? pendingAt(budget, now) : 0;
  const started = windowAt(budget.minute, 'minute', now);
  const minute = carried > 0 ? { ...started, remaining: Math.max(0, started.remaining - carried) } : started;
  const day = windowAt(budget.day, 'day', now);
  const granted = Math.max(0, Math.min(want, minute.remaining, day.remaining));
  const held = carried || inFlightAt(budget, now);
  const inFlight = held > 0 ? { inFlight: { ...budget.inFlight!, resetMs: minute.resetMs } } : {};
  if (granted === 0) {
    const exhausted: WindowName = day.remaining <= 0 ? 'day' : 'minute';
    const waitUntilMs = Math.max(day.remaining <= 0 ? day.resetMs : 0, minute.remaining <= 0 ? minute.resetMs : 0) + RESET_MARGIN_MS;
    // A minute not begun by a grant is not stored: it would begin before the first request sent in
    // it (the server's window begins there), and end too early.
    return { granted: 0, waitUntilMs, exhausted, budget: fresh ? budget : { minute, day, ...inFlight }, held };
  }
  return {
    granted,
    grant: { count: granted, minuteResetMs: minute.resetMs, dayResetMs: day.resetMs, reservedMs: now },
    budget: { minute: { ...minute, remaining: minute.remaining - granted }, day: { ...day, remaining: day.remaining - granted }, inFlight: { count: held + granted, resetMs: minute.resetMs, sinceMs: held > 0 ? (budget.inFlight!.sinceMs ?? now) : now } },
  };
}

/**
 * Settles a reservation (all it granted): no longer in flight; the `unused` ones, never sent, go
 * back to the windows the grant was taken from while they last, never to a window begun since
 * (that one never paid for them: it could then send more than its limit).
 */
export function release(budget: RateBudget, grant: Grant, unused: number, now: number): RateBudget {
  const back = Math.max(0, Math.min(unused, grant.count));
  // Counted in flight, the grant was paid for by the minute now counted (reserved in it, or
  // subtracted from it when the server's window was taken, see observe): its unused go back there.
  const counted = countedInFlight(budget, grant, now);
  const give = (w: RateWindow | undefined, fromResetMs: number, paid = false) => (w && back > 0 && (paid || sameWindow(w.resetMs, fromResetMs, now)) ? { ...w, remaining: Math.min(w.limit, w.remaining + back) } : w);
  const held = inFlightAt(budget, now);
  const left = counted ? held - grant.count : held;
  const { minute, day } = budget;
  return {
    ...(minute ? { minute: give(minute, grant.minuteResetMs, counted && now < minute.resetMs) } : {}),
    ...(day ? { day: give(day, grant.dayResetMs) } : {}),
    ...(left > 0 ? { inFlight: { ...budget.inFlight!, count: left } } : {}),
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
  const at = Math.max(resetMs, now);
  // The server's remaining does not count what commands reserved and have not sent yet (they may
  // still send it in this window): those are subtracted (the ones already sent, counted twice till
  // they settle, only make the budget cautious). Within the same window the lower figure wins;
  // a window the server places elsewhere (its own start, not this machine's guess; or one begun
  // since) is taken with them subtracted, and they stay counted in flight with it.
  const held = pendingAt(budget, now);
  const left = Math.max(0, Math.min(remaining, limit) - held);
  if (known && Math.abs(known.resetMs - resetMs) <= SAME_WINDOW_MS) {
    return { ...budget, [name]: { limit, remaining: Math.min(left, known.remaining), resetMs: at } };
  }
  const f = held > 0 ? budget.inFlight : undefined;
  return {
    ...budget,
    [name]: { limit, remaining: left, resetMs: at },
    ...(name === 'minute' && f ? { inFlight: { ...f, resetMs: at } } : {}),
  };
}
