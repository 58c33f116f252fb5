import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEventStream } from '../support/event-stream.js';
import { eventually } from '../support/webhook-receiver.js';
import { BIN, childEnv, collect, portAnswers, ROOT, serveWaybill, stopAll, type Env, type Served } from '../support/processes.js';

/**
 * Starting and stopping as an operator does: `npm start` as the README says, signalled the way
 * systemd or a container runtime does (SIGTERM to npm's own process, which passes it on), and the
 * two start failures an operator meets (a port in use, a data folder in use).
 */

const ADMIN = { WAYBILL_BOOTSTRAP_CLIENT_ID: 'ops-admin', WAYBILL_BOOTSTRAP_CLIENT_SECRET: 'a-long-enough-secret-42' };
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await stopAll();
});

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'waybill-life-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts `npm start` (or `node bin/waybill.mjs serve`) and waits for /ready; whatever a test leaves running is stopped at the end. */
async function start(how: 'npm' | 'node', env: Env): Promise<Served> {
  return serveWaybill(env, { via: how });
}

async function lockExists(dataDir: string): Promise<boolean> {
  return fs.access(path.join(dataDir, 'waybill.lock')).then(
    () => true,
    () => false,
  );
}

describe.skipIf(Boolean(process.env.DATABASE_URL))('stopping a server started with npm start (PGlite)', () => {
  it('SIGTERM to npm stops it cleanly: exit 0, a shutdown line, the port and the data folder free for the next start', async () => {
    const dataDir = await tempDir();
    const first = await start('npm', { WAYBILL_DATA_DIR: dataDir });
    expect(first.output().stdout).toContain('opening database');
    expect(first.output().stdout).toContain(`listening on http://127.0.0.1:${first.port}`);
    expect(await lockExists(dataDir)).toBe(true);

    first.child.kill('SIGTERM');
    const finished = await first.exited;
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stdout).toContain('stopping (SIGTERM)');
    expect(finished.stdout).toMatch(/stopped in \d+ ms/);
    expect(await portAnswers(first.port)).toBe(false);
    expect(await lockExists(dataDir)).toBe(false);

    // The folder is free: the next start opens it (and SIGINT, as Ctrl-C sends, stops it the same way).
    const second = await start('node', { WAYBILL_DATA_DIR: dataDir });
    second.child.kill('SIGINT');
    const again = await second.exited;
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('stopping (SIGINT)');
    expect(await lockExists(dataDir)).toBe(false);
  }, 300_000);

  it('a request in flight when the signal arrives is answered before the server exits', async () => {
    // At info level the server logs each request as it arrives: that says when it has this one.
    const server = await start('npm', { WAYBILL_DATA_DIR: await tempDir(), WAYBILL_LOG_LEVEL: 'info', ...ADMIN });
    // A token request whose body is sent in two halves: the server has the request, not yet its body.
    const body = 'grant_type=client_credentials';
    const request = http.request(`${server.url}/v1/auth/token`, {
      method: 'POST',
      agent: false,
      auth: `${ADMIN.WAYBILL_BOOTSTRAP_CLIENT_ID}:${ADMIN.WAYBILL_BOOTSTRAP_CLIENT_SECRET}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
    });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      request.once('response', (res) => {
        let text = '';
        res.on('data', (chunk) => (text += String(chunk)));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      request.once('error', reject);
    });
    request.write(body.slice(0, 10));
    request.flushHeaders();
    await server.waitFor(/^(?=.*"incoming request")(?=.*\/v1\/auth\/token).*$/m);
    server.child.kill('SIGTERM');
    await server.waitFor('stopping (SIGTERM)');
    // The line is printed as the stop begins; the listening socket closes right after it.
    let accepting = true;
    for (let i = 0; i < 100 && accepting; i++) if ((accepting = await portAnswers(server.port))) await new Promise((r) => setTimeout(r, 50));
    expect(accepting).toBe(false); // no longer accepting, while the request in flight is still open
    request.end(body.slice(10));
    const { status, text } = await answered;
    expect(status, text).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ access_token: expect.any(String) });
    const finished = await server.exited;
    expect(finished.code, finished.stderr).toBe(0);
  }, 300_000);
});

describe.skipIf(Boolean(process.env.DATABASE_URL))('an open event stream at shutdown', () => {
  it('ends with the server: the stream closes and the process still exits 0 (it did not wait out its grace period)', async () => {
    const server = await start('node', { WAYBILL_DATA_DIR: await tempDir(), ...ADMIN });
    const token = await fetch(`${server.url}/v1/auth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${ADMIN.WAYBILL_BOOTSTRAP_CLIENT_ID}:${ADMIN.WAYBILL_BOOTSTRAP_CLIENT_SECRET}`).toString('base64')}` },
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const stream = await openEventStream(`${server.url}/v1/events/stream?after=0`, { authorization: `Bearer ${access_token}` });
    expect(stream.status).toBe(200);
    // The bootstrap's own events arrive first: the stream is live before the signal.
    await eventually(() => stream.events().length > 0);
    server.child.kill('SIGTERM');
    await stream.ended;
    const finished = await server.exited;
    expect(finished.code, finished.stderr).toBe(0);
  }, 300_000);
});

describe.skipIf(Boolean(process.env.DATABASE_URL))('start failures an operator can act on', () => {
  it('a port in use: one line naming it, no stack trace, a non-zero exit, and the data folder left unlocked', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const port = (blocker.address() as net.AddressInfo).port;
    const dataDir = await tempDir();
    const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], {
      cwd: ROOT,
      env: childEnv({ HOST: '127.0.0.1', PORT: String(port), WAYBILL_DATA_DIR: dataDir }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { code, stderr } = await collect(child).exited;
    expect(code).toBe(1);
    expect(stderr).toContain(`127.0.0.1:${port} is already in use`);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(await lockExists(dataDir)).toBe(false);
  }, 300_000);
});
