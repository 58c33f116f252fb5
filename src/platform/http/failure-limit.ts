import { AppError } from './errors.js';

const WINDOW_MS = 60_000;
const MAX_TRACKED = 10_000;

/**
 * Counts failed secret checks per client address in fixed one-minute windows and refuses further
 * attempts from an address that has used up its budget. The per-credential rate limit cannot do
 * this: every guess sends different credentials, so each would get a fresh budget of its own.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, { failures: number; resetAt: number }>();

  /** `what` names the key in the 429's message ("this address", "this account"). */
  constructor(
    private readonly maxFailures: number,
    private readonly windowMs = WINDOW_MS,
    private readonly what = 'this address',
  ) {}

  /** Throws a 429 while `address` may not try again. */
  check(address: string): void {
    const window = this.windows.get(address);
    const now = Date.now();
    if (window && window.resetAt > now && window.failures >= this.maxFailures) {
      const seconds = Math.ceil((window.resetAt - now) / 1000);
      throw new AppError(429, `Too many failed authentication attempts for ${this.what}; retry after ${seconds} s`, [], {
        'retry-after': String(seconds),
      });
    }
  }

  recordFailure(address: string): void {
    const now = Date.now();
    let window = this.windows.get(address);
    if (!window || window.resetAt <= now) {
      if (this.windows.size >= MAX_TRACKED) this.windows.clear();
      window = { failures: 0, resetAt: now + this.windowMs };
      this.windows.set(address, window);
    }
    window.failures++;
  }
}
