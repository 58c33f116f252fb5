import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../http/errors.js';
import type { TaskFailure, TaskReply, TaskRequest } from './thread.js';

/**
 * A small pool of worker threads for CPU-heavy work on request input (parsing a received XML
 * e-invoice; later, rendering PDFs), so that one large or hostile body never holds the event loop
 * that answers every other request. Work goes to a thread as a task: a named export of a module,
 * called with arguments that survive structured cloning, answering a value that does too.
 */

/** A function a worker thread can run: its module (a file URL) and export name. `F` types the call. */
export interface WorkerTask<F extends (...args: never[]) => unknown> {
  readonly module: string;
  readonly name: string;
  /** Only carries `F` for the compiler; never set. */
  readonly signature?: F;
}

/**
 * Names `name` exported by the module at `moduleUrl` (pass the module's own `import.meta.url`), so a
 * module declares its worker tasks beside the pure functions themselves. From source the URL ends
 * in `.ts`, from dist/ in `.js`: the thread loads whichever the caller runs.
 */
export function workerTask<F extends (...args: never[]) => unknown>(moduleUrl: string, name: string): WorkerTask<F> {
  return { module: moduleUrl, name };
}

export interface WorkerPoolOptions {
  /** Threads at most; they start on first use, not at boot, and stay for the next task. */
  size: number;
  /** Tasks waiting for a thread beyond this are refused at once (429) rather than held in memory. */
  maxQueued?: number;
  /** A task running longer is stopped with its thread (413: the input is too much to process). */
  timeoutMs?: number;
  /** Heap of each thread; a task that needs more fails (413) and the thread is replaced. */
  maxHeapMb?: number;
}

export interface WorkerPool {
  run<F extends (...args: never[]) => unknown>(task: WorkerTask<F>, ...args: Parameters<F>): Promise<Awaited<ReturnType<F>>>;
  /** Threads running now, and tasks waiting for one (for metrics and tests). */
  stats(): { threads: number; busy: number; queued: number };
  /** Stops every thread; tasks still queued or running fail. */
  close(): Promise<void>;
}

interface Job {
  request: Omit<TaskRequest, 'id'>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  timer?: NodeJS.Timeout;
}

const THREAD_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

const threadUrl = new URL(`./thread${THREAD_EXTENSION}`, import.meta.url);

/**
 * tsx's ESM API module by absolute URL, so a thread finds it wherever the process was started
 * (`require.resolve` would answer its CommonJS twin, which does not register in a thread).
 */
function tsxApiUrl(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  return pathToFileURL(path.join(path.dirname(manifest), exports['./esm/api']?.import.default ?? 'dist/esm/api/index.mjs')).href;
}

/**
 * A new thread running thread.ts/.js. From dist/ the thread is plain JavaScript. From source (tsx
 * in the CLI, vitest in tests) it first registers tsx's loader in itself and then imports the
 * TypeScript entry: on Node 20 a thread neither inherits the process's loader hooks nor applies
 * `--import` hooks from `execArgv` to its entry file.
 */
function newThread(maxHeapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: maxHeapMb };
  if (THREAD_EXTENSION === '.js') return new Worker(threadUrl, { resourceLimits });
  const boot = `import(${JSON.stringify(tsxApiUrl())}).then((tsx) => tsx.register()).then(() => import(${JSON.stringify(threadUrl.href)}))`;
  return new Worker(boot, { eval: true, resourceLimits });
}

let nextId = 0;

export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const { size, maxQueued = 64, timeoutMs = 30_000, maxHeapMb = 512 } = options;
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let closed = false;

  function spawn(): Slot {
    const worker = newThread(maxHeapMb);
    const slot: Slot = { worker };
    worker.unref();
    worker.on('message', (reply: TaskReply) => settle(slot, reply));
    worker.on('error', (err) => fail(slot, err));
    worker.on('exit', () => fail(slot, new Error('the worker thread exited')));
    slots.push(slot);
    return slot;
  }

  function start(slot: Slot, job: Job) {
    slot.job = job;
    // A busy thread keeps the process alive; an idle one does not (a CLI command may end while one waits).
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      const message = `The input took longer than ${Math.round(timeoutMs / 1000)} s to process: send a smaller one`;
      fail(slot, new AppError(413, message));
    }, timeoutMs);
    const request: TaskRequest = { id: ++nextId, ...job.request };
    slot.worker.postMessage(request);
  }

  function finish(slot: Slot): Job | undefined {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    return job;
  }

  function settle(slot: Slot, reply: TaskReply) {
    const job = finish(slot);
    if (!job) return;
    if (reply.ok) job.resolve(reply.value);
    else job.reject(errorFrom(reply.error));
    next(slot);
  }

  /** The thread failed or is stopped: its task fails, and a fresh thread takes the queue on. */
  function fail(slot: Slot, err: unknown) {
    const index = slots.indexOf(slot);
    if (index === -1) return;
    slots.splice(index, 1);
    finish(slot)?.reject(err instanceof AppError ? err : threadError(err));
    void slot.worker.terminate();
    const waiting = queue.shift();
    if (waiting && !closed) start(spawn(), waiting);
  }

  function next(slot: Slot) {
    const waiting = queue.shift();
    if (waiting) start(slot, waiting);
    else slot.worker.unref();
  }

  return {
    run(task, ...args) {
      if (closed) return Promise.reject(new Error('The worker pool is closed'));
      return new Promise((resolve, reject) => {
        const job: Job = { request: { module: task.module, name: task.name, args }, resolve: resolve as Job['resolve'], reject };
        const idle = slots.find((s) => !s.job);
        if (idle) return start(idle, job);
        if (slots.length < size) return start(spawn(), job);
        if (queue.length >= maxQueued) {
          return reject(new AppError(429, 'The server is busy processing other uploads; retry shortly', [], { 'retry-after': '2' }));
        }
        queue.push(job);
      });
    },
    stats: () => ({ threads: slots.length, busy: slots.filter((s) => s.job).length, queued: queue.length }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('The worker pool is closed'));
      await Promise.all(
        slots.splice(0).map(async (slot) => {
          finish(slot)?.reject(new Error('The worker pool is closed'));
          await slot.worker.terminate();
        }),
      );
    },
  };
}

/** An AppError thrown in the thread is the same answer here; anything else stays a server error. */
function errorFrom(failure: TaskFailure): Error {
  if (failure.statusCode !== undefined) return new AppError(failure.statusCode, failure.message, failure.errors, failure.headers);
  return Object.assign(new Error(`A worker task failed: ${failure.message}`), { stack: failure.stack });
}

/** A thread that ran out of heap was given too much input; any other death is the server's fault. */
function threadError(err: unknown): Error {
  if ((err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY')
    return new AppError(413, 'The input needs more memory to process than is allowed: send a smaller one');
  return err instanceof Error ? err : new Error(String(err));
}
