/** Session lifetimes: a session ends when unused for `idle` seconds or `absolute` seconds after sign-in. */
export interface Lifetimes {
  idleSeconds: number;
  absoluteSeconds: number;
}

export function sessionAlive(lifetimes: Lifetimes, ageSeconds: number, idleSeconds: number): boolean {
  return ageSeconds < lifetimes.absoluteSeconds && idleSeconds < lifetimes.idleSeconds;
}

/**
 * Whether a request should record the session's use. Not on every request (a write per read):
 * once a tenth of the idle lifetime has passed, at most a minute, which moves the idle end by
 * at most that much.
 */
export function shouldTouch(lifetimes: Lifetimes, idleSeconds: number): boolean {
  return idleSeconds >= Math.min(60, lifetimes.idleSeconds / 10);
}

/** When the session ends if unused from now on: the sooner of the idle and the absolute end. */
export function sessionEndsAt(lifetimes: Lifetimes, now: Date, ageSeconds: number): Date {
  const idleEnd = now.getTime() + lifetimes.idleSeconds * 1000;
  const absoluteEnd = now.getTime() + (lifetimes.absoluteSeconds - ageSeconds) * 1000;
  return new Date(Math.min(idleEnd, absoluteEnd));
}
