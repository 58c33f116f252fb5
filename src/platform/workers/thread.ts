import { parentPort } from 'node:worker_threads';
import type { ErrorDetail } from '../http/errors.js';

/**
 * The entry of each worker thread of the pool (pool.ts): it runs one task at a time, a named export
 * of a module the main thread names, and answers its value or its error. It imports nothing of the
 * server, so a thread costs only the modules its tasks need.
 */

export interface TaskRequest {
  id: number;
  module: string;
  name: string;
  args: unknown[];
}

/** An error as it crosses the thread boundary; `statusCode` and `errors` when it was an AppError. */
export interface TaskFailure {
  message: string;
  stack?: string;
  statusCode?: number;
  errors?: ErrorDetail[];
  headers?: Record<string, string>;
}

export type TaskReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: TaskFailure };

const modules = new Map<string, Promise<Record<string, unknown>>>();

async function run(request: TaskRequest): Promise<unknown> {
  let loading = modules.get(request.module);
  if (!loading) {
    loading = import(request.module) as Promise<Record<string, unknown>>;
    modules.set(request.module, loading);
  }
  const fn = (await loading)[request.name];
  if (typeof fn !== 'function') throw new Error(`${request.module} exports no function ${request.name}`);
  return (fn as (...args: unknown[]) => unknown)(...request.args);
}

/** Duck-typed rather than `instanceof`: the task's AppError class is this thread's copy of it. */
function failure(err: unknown): TaskFailure {
  const e = err as Partial<TaskFailure> & { statusCode?: unknown };
  const message = err instanceof Error ? err.message : String(err);
  if (typeof e.statusCode === 'number' && Array.isArray(e.errors)) {
    return { message, statusCode: e.statusCode, errors: e.errors, headers: e.headers ?? {} };
  }
  return { message, stack: err instanceof Error ? err.stack : undefined };
}

async function answer(request: TaskRequest): Promise<void> {
  let reply: TaskReply;
  try {
    reply = { id: request.id, ok: true, value: await run(request) };
  } catch (err) {
    reply = { id: request.id, ok: false, error: failure(err) };
  }
  try {
    parentPort?.postMessage(reply);
  } catch (err) {
    // A value that cannot be cloned (a function, a socket) is the task's error, not the thread's end.
    parentPort?.postMessage({ id: request.id, ok: false, error: failure(err) } satisfies TaskReply);
  }
}

parentPort?.on('message', (request: TaskRequest) => void answer(request));
