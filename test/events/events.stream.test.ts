import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { EventBus } from '../../src/platform/events/bus.js';
import { createServices } from '../../src/services.js';
import { createTestApp, newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { openEventStream, type OpenStream } from '../support/event-stream.js';
import { as } from '../support/requests.js';
import { eventually } from '../support/webhook-receiver.js';

/** The live event stream over HTTP: a listening server, read like a browser's EventSource reads it. */
let ctx: TestContext;
let base: string;
let admin: Client;
let acme: Client;
let acmeId: string;
let globexId: string;
const open: OpenStream[] = [];

beforeAll(async () => {
  ctx = await createTestApp({ eventStreamsPerClient: 2, eventStreamHeartbeatSeconds: 1 });
  base = await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  admin = await newTenant(ctx);
  acmeId = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME' });
  globexId = await newCompany(ctx, admin, { name: 'Globex', code: 'GLOBEX' });
  acme = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
});
afterAll(async () => {
  for (const stream of open) stream.close();
  await ctx.close();
});

async function stream(client: Pick<Client, 'auth'>, query = '', headers: Record<string, string> = {}): Promise<OpenStream> {
  const s = await openEventStream(`${base}/v1/events/stream${query}`, { authorization: client.auth, ...headers });
  open.push(s);
  return s;
}

const rename = (id: string, name: string) => as(admin).patch(`/v1/companies/company/${id}`, { name });

describe('GET /v1/events/stream', () => {
  it('sends each new event of the tenant once, in order, with its position as the id, and heartbeats', async () => {
    const s = await stream(admin);
    expect(s.status).toBe(200);
    expect(s.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const first = await rename(acmeId, 'Acme Inc');
    expect(first.statusCode, first.body).toBe(200);
    await rename(globexId, 'Globex Corp');
    const events = await eventually(() => (s.events().length >= 2 ? s.events() : undefined));
    expect(events.map((e) => [e.type, e.payload.id])).toEqual([
      ['company.updated', acmeId],
      ['company.updated', globexId],
    ]);
    const ids = s.messages.filter((m) => m.data).map((m) => Number(m.id));
    expect(ids).toEqual(events.map((e) => e.position));
    // What the feed answers for the same range is what the stream sent.
    const feed = (await as(admin).get(`/v1/events?after=${events[0]!.position - 1}`)).json();
    expect(feed.items.slice(0, 2)).toEqual(events);
    await eventually(() => s.messages.some((m) => m.comment === 'heartbeat'));
    s.close();
  });

  it('shows a customer only the events about its company, as the feed does', async () => {
    const mine = await stream(acme);
    await rename(globexId, 'Globex 2');
    await rename(acmeId, 'Acme 2');
    await rename(globexId, 'Globex 3');
    await rename(acmeId, 'Acme 3');
    // The second Acme change arrives after the Globex ones were committed: had they been sent, they would be here.
    const seen = await eventually(() => (mine.events().length >= 2 ? mine.events() : undefined));
    expect(seen.map((e) => (e.payload.record as { name: string }).name)).toEqual(['Acme 2', 'Acme 3']);
    const feed = (await as(acme).get(`/v1/events?after=${seen[0]!.position - 1}`)).json();
    expect(feed.items).toEqual(seen);
    mine.close();
  });

  it('resumes after Last-Event-ID, which wins over `after`, and filters by `types`', async () => {
    const s = await stream(admin, '?types=company.*');
    await rename(acmeId, 'Acme 3b');
    const [seen] = await eventually(() => (s.events().length ? s.events() : undefined));
    s.close();
    await rename(globexId, 'Globex 4');
    await rename(acmeId, 'Acme 4');
    const resumed = await stream(admin, '?after=0&types=company.updated', { 'last-event-id': String(seen!.position) });
    const missed = await eventually(() => (resumed.events().length >= 2 ? resumed.events() : undefined));
    expect(missed.map((e) => (e.payload.record as { name: string }).name)).toEqual(['Globex 4', 'Acme 4']);
    resumed.close();
    const bad = await stream(admin, '', { 'last-event-id': 'yesterday' });
    expect(bad.status).toBe(400);
  });

  it('holds at most the configured number of streams per client (429), and frees a place when one closes', async () => {
    // Earlier streams of this client may still be closing on the server's side.
    const a = await stream(acme);
    const b = await eventually(async () => {
      const s = await stream(acme);
      if (s.status === 200) return s;
      return undefined;
    });
    const third = await stream(acme);
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({ message: expect.stringContaining('event streams'), errors: [expect.objectContaining({ message: expect.any(String) })] });
    // Another client has its own budget.
    const other = await stream(admin);
    expect(other.status).toBe(200);
    a.close();
    const again = await eventually(async () => {
      const s = await stream(acme);
      return s.status === 200 ? s : undefined;
    });
    for (const s of [b, other, again]) s.close();
  });

  it('refuses WEBHOOK credentials and a missing token, and lets a subcontractor see nothing of a customer', async () => {
    const hook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
    expect((await stream(hook)).status).toBe(403);
    expect((await stream({ auth: '' })).status).toBe(401);
    const subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
    const subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId });
    const s = await stream(subco);
    const admins = await stream(admin);
    await rename(acmeId, 'Acme 5');
    await rename(subcoId, 'Haulers BV');
    const [own] = await eventually(() => (s.events().length ? s.events() : undefined));
    expect(own!.payload.id).toBe(subcoId);
    expect(s.events()).toHaveLength(1);
    expect(admins.events().length).toBeGreaterThanOrEqual(1);
    s.close();
    admins.close();
  });

  it("another tenant's stream sees none of this tenant's events", async () => {
    const other = await newTenant(ctx, 'Other carrier');
    const theirs = await stream(other);
    const ours = await stream(admin);
    await rename(acmeId, 'Acme 6');
    await eventually(() => ours.events().length >= 1);
    // Their own change comes after ours committed: had ours been sent to them, it would be first.
    const marker = await newCompany(ctx, other, { name: 'Their own', code: 'OWN' });
    const [seen] = await eventually(() => (theirs.events().length ? theirs.events() : undefined));
    expect(seen!.payload.id).toBe(marker);
    expect(theirs.events()).toHaveLength(1);
    theirs.close();
    ours.close();
  });
});

describe('shutdown', () => {
  it('closing the server ends open streams instead of waiting for them', async () => {
    const own = await createTestApp();
    const url = await own.app.listen({ host: '127.0.0.1', port: 0 });
    const tenant = await newTenant(own);
    const s = await openEventStream(`${url}/v1/events/stream`, { authorization: tenant.auth });
    expect(s.status).toBe(200);
    await own.close();
    await s.ended;
  });
});

describe('many open streams in one process', () => {
  it("share the process's one LISTEN connection with the webhook engine, and each still gets every event", async () => {
    // No heartbeat within the test: only a commit notification can wake a stream.
    const own = await createTestApp({ eventStreamsPerClient: 20, eventStreamHeartbeatSeconds: 3600 });
    const engine = own.services.webhooks.startEngine(() => {});
    // A second app on the same database with a bus of its own stands for another process: its
    // commits reach this one's streams only through PostgreSQL's NOTIFY and the shared LISTEN.
    const other = await buildApp(await createServices({ config: own.services.config, database: own.database, bus: new EventBus() }));
    const streams: OpenStream[] = [];
    try {
      const url = await own.app.listen({ host: '127.0.0.1', port: 0 });
      const tenant = await newTenant(own);
      const companyId = await newCompany(own, tenant, { name: 'Many', code: 'MANY' });
      for (let i = 0; i < 12; i++) streams.push(await openEventStream(`${url}/v1/events/stream`, { authorization: tenant.auth }));
      expect(streams.map((s) => s.status)).toEqual(streams.map(() => 200));
      const names = (s: OpenStream) => s.events().map((e) => (e.payload.record as { name: string }).name);

      expect((await as(tenant).patch(`/v1/companies/company/${companyId}`, { name: 'Local' })).statusCode).toBe(200);
      await eventually(() => streams.every((s) => names(s).includes('Local')));
      if (!own.database.databaseUrl) return;

      const remote = await as({ ...tenant, app: other }).patch(`/v1/companies/company/${companyId}`, { name: 'Remote' });
      expect(remote.statusCode, remote.body).toBe(200);
      await eventually(() => streams.every((s) => names(s).includes('Remote')));
      for (const s of streams) expect(names(s)).toEqual(['Local', 'Remote']);
      // Every stream and the webhook engine were woken through one LISTEN connection.
      const listening = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'listen %'`.execute(own.services.db);
      expect(listening.rows[0]?.n).toBe(1);
    } finally {
      for (const s of streams) s.close();
      await other.close();
      await engine.stop();
      await own.close();
    }
  });
});
