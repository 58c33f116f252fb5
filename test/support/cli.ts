import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Waybill as an operator runs it: `node bin/waybill.mjs ...` in child processes, reached over
 * loopback HTTP. Every process started here is stopped by `stopAll()` (call it in afterAll).
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/waybill.mjs');

export type Env = Record<string, string | undefined>;

/** The test's environment without database or bootstrap settings, plus `env` (undefined removes a variable). */
export function childEnv(env: Env): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, WAYBILL_LOG_LEVEL: 'warn', WAYBILL_LOG_FORMAT: 'json' };
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

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();

function collect(child: ChildProcess): { output: () => Finished; exited: Promise<Finished> } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  running.add(child);
  const output = () => ({ code: child.exitCode, signal: child.signalCode, stdout, stderr });
  const exited = new Promise<Finished>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { output, exited };
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

export interface Served {
  url: string;
  child: ChildProcess;
  output: () => Finished;
  exited: Promise<Finished>;
}

/** Starts `waybill serve` on a free loopback port and waits until /ready answers (generously: machines here are shared). */
export async function serveWaybill(env: Env): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/waybill.mjs'), 'serve'], {
    cwd: ROOT,
    env: childEnv({ PORT: String(port), HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output, exited } = collect(child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${output().stderr}`);
    try {
      if ((await fetch(`${url}/ready`)).ok) return { url, child, output, exited };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`serve did not answer /ready: ${output().stderr}`);
}

/** Stops every process started here that still runs. */
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
