import type { ChildProcess } from 'node:child_process';
import net from 'node:net';

/**
 * Helpers for tests that run Waybill as a user does, in child processes (`node bin/waybill.mjs …`
 * or `npm start`), and talk to it over loopback HTTP.
 */

export type Env = Record<string, string | undefined>;

/** The test's environment minus anything that would point the child at another database or admin. */
export function childEnv(env: Env): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, WAYBILL_LOG_LEVEL: 'warn', WAYBILL_WORKERS: 'false' };
  delete base.DATABASE_URL;
  delete base.WAYBILL_BOOTSTRAP_CLIENT_ID;
  delete base.WAYBILL_BOOTSTRAP_CLIENT_SECRET;
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

export function collect(child: ChildProcess): { output: () => Finished; exited: Promise<Finished>; waitFor(text: string | RegExp): Promise<void> } {
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
  const output = () => ({ code: child.exitCode, signal: child.signalCode, stdout, stderr });
  const exited = new Promise<Finished>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  /** Resolves once stdout or stderr shows `text`; rejects if the process exits first. */
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

/** Polls `url` until it answers 200; fails when the child exits first or after `timeoutMs`. */
export async function waitUntilOk(url: string, child: ChildProcess, describe: () => string, timeoutMs = 120_000): Promise<void> {
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
