import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/app.js';
import { eventually, Receiver } from '../support/webhook-receiver.js';

/**
 * Real server processes (`waybill serve`) delivering to a receiver on 127.0.0.1: one killed with
 * SIGKILL in the middle of delivering and restarted, and two sharing one PostgreSQL database.
 */
const CLIENT_ID = 'crash-test-admin';
const CLIENT_SECRET = 'crash-test-secret-0123456789';
const BIN = path.resolve(import.meta.dirname, '../../bin/waybill.mjs');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Server {
  child: ChildProcess;
  base: string;
  token: string;
}

const children = new Set<ChildProcess>();

async function serve(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      WAYBILL_BOOTSTRAP_CLIENT_ID: CLIENT_ID,
      WAYBILL_BOOTSTRAP_CLIENT_SECRET: CLIENT_SECRET,
      WAYBILL_OUTBOUND_ALLOWLIST: '127.0.0.0/8',
      WAYBILL_WEBHOOK_RETRY_SCHEDULE: '0,1,1,1,1,1,1,1,1,1',
      WAYBILL_WEBHOOK_TIMEOUT_MS: '1000',
      WAYBILL_WEBHOOK_POLL_MS: '500',
      WAYBILL_LOG_LEVEL: 'warn',
      WAYBILL_WORKERS: 'true',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const base = `http://127.0.0.1:${port}`;
  // Generous: on a busy machine, compiling the sources and migrating can take a while.
  await eventually(async () => (await fetch(`${base}/ready`).catch(() => undefined))?.ok, 90_000);
  const res = await fetch(`${base}/v1/auth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}` },
  });
  const token = ((await res.json()) as { access_token: string }).access_token;
  return { child, base, token };
}

async function api(server: Server, method: string, url: string, body: unknown) {
  const res = await fetch(`${server.base}${url}`, {
    method,
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { id: string };
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const createCompany = (server: Server, name: string) => api(server, 'POST', '/v1/companies/company', { name, currency: 'EUR', is_customer: true });

function kill(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}

/** company.created entity ids the receiver got, and how often each webhook-id arrived. */
function tally(receiver: Receiver) {
  const companies = new Set<string>();
  const perMessage = new Map<string, number>();
  for (const m of receiver.received) {
    const body = JSON.parse(m.body) as { type: string; entity_id: string };
    if (body.type === 'company.created') companies.add(body.entity_id);
    const id = String(m.headers['webhook-id']);
    perMessage.set(id, (perMessage.get(id) ?? 0) + 1);
  }
  return { companies, perMessage };
}

let receiver: Receiver;
beforeAll(async () => {
  receiver = await new Receiver().start();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await receiver.close();
});

describe('crash recovery', () => {
  it('delivers every committed event after a SIGKILL mid-delivery and a restart', async () => {
    const database = process.env.DATABASE_URL ? await freshDatabase() : undefined;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-crash-'));
    const env: Record<string, string> = database?.url ? { DATABASE_URL: database.url } : { WAYBILL_DATA_DIR: dataDir };
    try {
      // After five answers the receiver stops answering, so the kill lands with deliveries in flight.
      receiver.received.length = 0;
      const never = new Promise(() => {});
      receiver.respond = (_m, i) => (i < 5 ? {} : { until: never });
      const first = await serve(env);
      await api(first, 'POST', '/v1/admin/webhook-endpoints', { url: receiver.url, families: ['events'], event_types: ['company.created'] });
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) ids.push((await createCompany(first, `Crash ${i}`)).id);
      await eventually(() => receiver.received.length >= 6);
      await kill(first);
      expect(tally(receiver).companies.size).toBeLessThan(ids.length);

      receiver.respond = () => ({});
      const second = await serve(env);
      await eventually(() => ids.every((id) => tally(receiver).companies.has(id)), 60_000);
      await kill(second);
    } finally {
      await database?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe.skipIf(!process.env.DATABASE_URL)('two processes on one PostgreSQL', () => {
  it('deliver every event once between them', async () => {
    const database = await freshDatabase();
    try {
      receiver.received.length = 0;
      receiver.respond = () => ({});
      const env = { DATABASE_URL: database.url as string };
      const a = await serve(env);
      const b = await serve(env);
      await api(a, 'POST', '/v1/admin/webhook-endpoints', { url: receiver.url, families: ['events'], event_types: ['company.created'] });
      const ids = await Promise.all(Array.from({ length: 120 }, (_, i) => createCompany(i % 2 ? a : b, `Pair ${i}`).then((c) => c.id)));
      await eventually(() => ids.every((id) => tally(receiver).companies.has(id)), 60_000);
      // Give a late duplicate the chance to show up before counting.
      await new Promise((r) => setTimeout(r, 1_000));
      const { perMessage } = tally(receiver);
      expect(perMessage.size).toBe(ids.length);
      expect([...perMessage.values()].every((n) => n === 1)).toBe(true);
      await Promise.all([kill(a), kill(b)]);
    } finally {
      await database.close();
    }
  }, 300_000);
});
