// Dribbble's two budgets per authenticated user: 60 requests a minute and 1,440 a day. Each window
// opens at the user's first request in it. The X-RateLimit-* headers describe the window that
// runs out first: the minute's, until the day has fewer requests left than the minute (then the
// day's, with its far reset), so a client reading only these headers can tell "wait a minute"
// from "come back tomorrow".
import { RATE_LIMITS } from '../dribbble/api-v2.js';

export interface RateLimitOptions {
  /** Requests a user may make per window (default 60). */
  perMinute?: number;
  /** Requests a user may make per day (default 1,440). */
  perDay?: number;
  /** The "minute" in milliseconds (default 60,000); tests shorten it. */
  windowMs?: number;
  /** The "day" in milliseconds (default 86,400,000). */
  dayWindowMs?: number;
}

interface Window {
  start: number;
  count: number;
}

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  readonly perMinute: number;
  readonly perDay: number;
  readonly windowMs: number;
  readonly dayWindowMs: number;
  private readonly minutes = new Map<number, Window>();
  private readonly days = new Map<number, Window>();

  /** A number is the per-minute limit (the mock's first option shape). */
  constructor(options: number | RateLimitOptions | undefined, private readonly now: () => number) {
    const o = typeof options === 'number' ? { perMinute: options } : (options ?? {});
    this.perMinute = o.perMinute ?? RATE_LIMITS.perMinute;
    this.perDay = o.perDay ?? RATE_LIMITS.perDay;
    this.windowMs = o.windowMs ?? 60_000;
    this.dayWindowMs = o.dayWindowMs ?? 86_400_000;
  }

  private window(map: Map<number, Window>, userId: number, length: number, t: number): Window {
    let w = map.get(userId);
    if (!w || t - w.start >= length) map.set(userId, (w = { start: t, count: 0 }));
    return w;
  }

  /** Counts one request of the user's (a refused one is not counted) and says whether it may go on. */
  take(userId: number): RateDecision {
    const t = this.now();
    const minute = this.window(this.minutes, userId, this.windowMs, t);
    const day = this.window(this.days, userId, this.dayWindowMs, t);
    const allowed = minute.count < this.perMinute && day.count < this.perDay;
    if (allowed) {
      minute.count += 1;
      day.count += 1;
    }
    const minuteLeft = Math.max(0, this.perMinute - minute.count);
    const dayLeft = Math.max(0, this.perDay - day.count);
    const dayBinds = dayLeft === 0 || dayLeft < minuteLeft;
    const [limit, left, w, length] = dayBinds ? [this.perDay, dayLeft, day, this.dayWindowMs] : [this.perMinute, minuteLeft, minute, this.windowMs];
    return {
      allowed,
      headers: {
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': String(left),
        'X-RateLimit-Reset': String(Math.ceil((w.start + length) / 1000)),
      },
    };
  }
}
