import { AppError } from '../../src/platform/http/errors.js';
import { workerTask } from '../../src/platform/workers/pool.js';

/** Tasks for the worker-pool tests (test/platform/workers.test.ts), run in the pool's threads. */

export const double = (values: number[]) => values.map((v) => v * 2);

export function refuse(message: string): never {
  throw new AppError(400, message, [{ message, field: 'body', path: 'body', detail: null }], { 'x-why': 'refused' });
}

/** Holds its thread for `ms`, as a parse of a hostile document would. */
export function spin(ms: number): number {
  const until = Date.now() + ms;
  let turns = 0;
  while (Date.now() < until) turns++;
  return turns;
}

export function die(): never {
  process.exit(3);
}

export const answerFunction = () => () => 1;

const here = import.meta.url;
export const tasks = {
  double: workerTask<typeof double>(here, 'double'),
  refuse: workerTask<typeof refuse>(here, 'refuse'),
  spin: workerTask<typeof spin>(here, 'spin'),
  die: workerTask<typeof die>(here, 'die'),
  answerFunction: workerTask<typeof answerFunction>(here, 'answerFunction'),
  missing: workerTask<() => void>(here, 'noSuchExport'),
};
