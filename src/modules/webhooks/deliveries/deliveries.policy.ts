/** Pure rules of the delivery engine: when to try again. */

const MAX_RETRY_AFTER_SECONDS = 24 * 3600;

/** `Retry-After` as seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: Date): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const seconds = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : (Date.parse(raw) - now.getTime()) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(Math.ceil(seconds), MAX_RETRY_AFTER_SECONDS);
}

/**
 * Milliseconds to wait before the next attempt after `attemptsMade` attempts, or undefined when
 * the schedule is used up. `schedule[n]` is the wait before attempt n+1 (its first entry, the
 * wait before the first attempt, is 0). Up to 10% jitter spreads retries of a burst that failed
 * together; a receiver's `Retry-After` is honoured as the minimum wait.
 */
export function nextRetryDelayMs(
  schedule: readonly number[],
  attemptsMade: number,
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  const base = schedule[attemptsMade];
  if (base === undefined) return undefined;
  const jittered = base * 1000 * (1 + 0.1 * random());
  return Math.round(Math.max(jittered, (retryAfterSeconds ?? 0) * 1000));
}
