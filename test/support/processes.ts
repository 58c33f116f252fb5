import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Waybill as an operator runs it: `node bin/waybill.mjs …` (or `npm start`) in child processes,
 * reached over loopback HTTP. Every process started here is stopped by `stopAll()` (call it in
 * afterAll) unless the test stops it itself.
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/waybill.mjs');

export type Env = Record<string, string | undefined>;

/**
 * The test's environment minus anything that would point the child at another database, admin or
 * trace collector, plus `env` (undefined removes a variable). Background workers are off unless a
 * test turns them on, so a child spends the shared cores only on what the test looks at.
 */
export function childEnv(env: Env): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, WAYBILL_LOG_LEVEL: 'warn', WAYBILL_LOG_FORMAT: 'json', WAYBILL_WORKERS: 'false' };
  for (const key of ['DATABASE_URL', 'WAYBILL_BOOTSTRAP_CLIENT_ID', 'WAYBILL_BOOTSTRAP_CLIENT_SECRET', 'OTEL_EXPORTER_OTLP_ENDPOINT']) delete base[key];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on the port. */
export async function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Watched {
  output: () => Finished;
  exited: Promise<Finished>;
  /** Resolves once stdout or stderr shows `text`; rejects if the process exits first. */
  waitFor(text: string | RegExp): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Collects a child's output and remembers it until it exits, so `stopAll()` can stop it. */
export function collect(child: ChildProcess): Watched {
  let stdout = '';
  let stderr = '';
  const watchers: Array<() => void> = [];
  const onData = (append: (s: string) => void) => (chunk: unknown) => {
    append(String(chunk));
    for (const watcher of [...watchers]) watcher();
  };
  child.stdout?.on(
    'data',
    onData((s) => (stdout += s)),
  );
  child.stderr?.on(
    'data',
    onData((s) => (stderr += s)),
  );
  running.add(child);
  const output = () => ({ code: child.exitCode, signal: child.signalCode, stdout, stderr });
  const exited = new Promise<Finished>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  const waitFor = (text: string | RegExp) =>
    new Promise<void>((resolve, reject) => {
      const seen = () => (typeof text === 'string' ? (stdout + stderr).includes(text) : text.test(stdout + stderr));
      const watcher = () => {
        if (!seen()) return;
        watchers.splice(watchers.indexOf(watcher), 1);
        resolve();
      };
      watchers.push(watcher);
      watcher();
      void exited.then((f) => reject(new Error(`exited (${f.code ?? f.signal}) before printing ${text}: ${f.stdout}\n${f.stderr}`)));
    });
  return { output, exited, waitFor };
}

/** Polls `url` until it answers 200; fails when the child exits first or after `timeoutMs` (generous: machines here are shared). */
export async function waitUntilOk(url: string, child: ChildProcess, describe: () => string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited with ${child.exitCode ?? child.signalCode}: ${describe()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer: ${describe()}`);
}

/** Runs a CLI command to completion (killed after two minutes). */
export async function runWaybill(args: string[], env: Env): Promise<Finished> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const { exited } = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

export interface Served extends Watched {
  url: string;
  port: number;
  child: ChildProcess;
  /** Sends SIGTERM once and resolves when the process has exited. */
  stop(): Promise<Finished>;
}

/** Starts `waybill serve` (or `npm start`) on a free loopback port and waits until `probe` answers. */
export async function serveWaybill(env: Env, o: { via?: 'node' | 'npm'; probe?: '/ready' | '/health' } = {}): Promise<Served> {
  const port = await freePort();
  const [command, args] = o.via === 'npm' ? ['npm', ['start']] : [process.execPath, [BIN, 'serve']];
  const child = spawn(command as string, args as string[], {
    cwd: ROOT,
    env: childEnv({ PORT: String(port), HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const watched = collect(child);
  const url = `http://127.0.0.1:${port}`;
  let stopped: Promise<Finished> | undefined;
  const stop = () => {
    if (!stopped) {
      stopped = watched.exited;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    }
    return stopped;
  };
  try {
    await waitUntilOk(`${url}${o.probe ?? '/ready'}`, child, () => `${watched.output().stdout}\n${watched.output().stderr}`);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return { url, port, child, stop, ...watched };
}

/** Stops every process started here that still runs (SIGTERM, then SIGKILL after ten seconds). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
}
