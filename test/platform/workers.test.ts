import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/platform/http/errors.js';
import { createWorkerPool } from '../../src/platform/workers/pool.js';
import { tasks } from '../support/worker-tasks.js';

/** The worker-thread pool (platform/workers): CPU work on request input, off the request thread. */
const pool = createWorkerPool({ size: 1, maxQueued: 1, timeoutMs: 20_000 });
afterAll(() => pool.close());

describe('worker pool', () => {
  it('runs a task in a thread (from TypeScript source here, through tsx) and answers its value', async () => {
    expect(await pool.run(tasks.double, [1, 2.5])).toEqual([2, 5]);
    expect(pool.stats()).toEqual({ threads: 1, busy: 0, queued: 0 });
  });

  it('an AppError thrown in the thread is the same AppError here: status, details and headers', async () => {
    const err = (await pool.run(tasks.refuse, 'not this').catch((e: unknown) => e)) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ statusCode: 400, message: 'not this', code: 'invalid', headers: { 'x-why': 'refused' } });
    expect(err.errors).toEqual([{ message: 'not this', field: 'body', path: 'body', detail: null }]);
  });

  it('any other failure stays a server error, and the thread goes on', async () => {
    const missing = await pool.run(tasks.missing).catch((e: unknown) => e);
    expect(missing).not.toBeInstanceOf(AppError);
    expect((missing as Error).message).toMatch(/exports no function noSuchExport/);
    const unclonable = await pool.run(tasks.answerFunction).catch((e: unknown) => e);
    expect(unclonable).not.toBeInstanceOf(AppError);
    expect(await pool.run(tasks.double, [3])).toEqual([6]);
  });

  it('one task waits for the busy thread; one more is refused with 429 and Retry-After instead of being held in memory', async () => {
    const running = pool.run(tasks.spin, 300);
    const waiting = pool.run(tasks.double, [4]);
    const refused = (await pool.run(tasks.double, [5]).catch((e: unknown) => e)) as AppError;
    expect(refused).toBeInstanceOf(AppError);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await running).toBeGreaterThan(0);
    expect(await waiting).toEqual([8]);
  });

  it('a thread that dies fails its task only: the queued task runs on a fresh thread', async () => {
    const dying = pool.run(tasks.die).catch((e: unknown) => e);
    const next = pool.run(tasks.double, [6]);
    expect(await dying).toBeInstanceOf(Error);
    expect(await next).toEqual([12]);
  });

  it('a task over the time limit is stopped with its thread (413), and the pool serves the next one', async () => {
    const quick = createWorkerPool({ size: 1, timeoutMs: 200 });
    try {
      const err = (await quick.run(tasks.spin, 60_000).catch((e: unknown) => e)) as AppError;
      expect(err).toBeInstanceOf(AppError);
      expect(err.statusCode).toBe(413);
      expect(quick.stats().busy).toBe(0);
    } finally {
      await quick.close();
    }
  });

  it('a closed pool refuses new work and fails what was queued', async () => {
    const closing = createWorkerPool({ size: 1 });
    const running = closing.run(tasks.spin, 5_000).catch((e: unknown) => e);
    const queued = closing.run(tasks.double, [1]).catch((e: unknown) => e);
    await closing.close();
    expect(await running).toBeInstanceOf(Error);
    expect(await queued).toBeInstanceOf(Error);
    await expect(closing.run(tasks.double, [1])).rejects.toThrow(/closed/);
  });
});
