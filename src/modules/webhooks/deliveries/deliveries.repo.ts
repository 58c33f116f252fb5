import { sql, type Insertable, type RawBuilder, type Selectable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { DeliveryStatus, WebhookAttemptTable, WebhookDeliveryTable } from '../webhooks.tables.js';
import '../webhooks.tables.js';

export type DeliveryRow = Selectable<WebhookDeliveryTable>;
export type AttemptRow = Selectable<WebhookAttemptTable>;
/** A new message: everything else (status, schedule, lease) starts from the column defaults. */
export type NewDelivery = Pick<
  Insertable<WebhookDeliveryTable>,
  'tenant_id' | 'id' | 'endpoint_id' | 'message_id' | 'event_id' | 'event_position' | 'event_type' | 'entity_key' | 'payload'
>;
/** What a worker needs to send a delivery and record the attempt: no dates to parse, nothing else. */
export type SendableDelivery = Pick<DeliveryRow, 'tenant_id' | 'id' | 'endpoint_id' | 'message_id' | 'payload' | 'attempt_count'>;

/** Deliveries inserted already leased to a worker of this process, which sends them without a claim. */
export interface InsertLease {
  token: string;
  seconds: number;
  /** The rows that may be leased: each is, unless an earlier delivery of its (endpoint, entity) is pending. */
  candidates: Set<string>;
}

/** The key ordering is kept by: one endpoint, one entity. */
export const orderingKey = (endpointId: string, entityKey: string) => `${endpointId}/${entityKey}`;

/** New deliveries as the relation `r`, from one JSON document: one native call to serialise, one parameter for any batch. */
function newDeliveries(rows: NewDelivery[], lease?: InsertLease) {
  const document = JSON.stringify(rows.map((r) => ({ ...r, candidate: lease?.candidates.has(r.id) ?? false })));
  return sql`json_to_recordset(${document}::json) as r(
      tenant_id uuid, id uuid, endpoint_id uuid, message_id text, event_id uuid, event_position bigint,
      event_type text, entity_key text, payload text, candidate boolean)`;
}

/**
 * The insert of `rows` (as `r`, see newDeliveries) into the deliveries of endpoints that still
 * exist: their rows are locked (KEY SHARE) first, so an endpoint deleted while payloads were being
 * built drops its deliveries instead of failing the batch. A row is inserted leased when `leased`
 * (an expression over `r`) holds, leased by the database clock like a claim; only when `when`
 * holds is anything inserted. Returns `id, leased`.
 *
 * The rows are read once, in a subquery kept apart by OFFSET 0, which evaluates `leased` once per
 * row and passes each payload on without copying it: the endpoints' keys come as parameters of
 * their own, since reading them from the rows too would make the rows a CTE read twice, which
 * PostgreSQL materialises, and a join of the rows with the endpoints could be planned as a loop
 * over the endpoints that reads the rows again for each.
 */
function insertAlive(rows: NewDelivery[], o: { lease?: InsertLease; leased: RawBuilder<boolean>; when?: RawBuilder<boolean> }) {
  const endpoints = [...new Map(rows.map((r) => [`${r.tenant_id}/${r.endpoint_id}`, r])).values()];
  return sql`alive as (
      select e.tenant_id, e.id from webhook_endpoints e
      where (e.tenant_id, e.id) in (
        select * from unnest(${endpoints.map((r) => r.tenant_id)}::uuid[], ${endpoints.map((r) => r.endpoint_id)}::uuid[])
      )
      for key share
    ), source as (
      select r.*, ${o.leased} as leased
      from ${newDeliveries(rows, o.lease)}
      where ${o.when ?? sql`true`} and exists (select 1 from alive a where a.tenant_id = r.tenant_id and a.id = r.endpoint_id)
      offset 0
    ), inserted as (
      insert into webhook_deliveries
        (tenant_id, id, endpoint_id, message_id, event_id, event_position, event_type, entity_key, payload, lease_token, lease_until)
      select s.tenant_id, s.id, s.endpoint_id, s.message_id, s.event_id, s.event_position, s.event_type, s.entity_key, s.payload,
             case when s.leased then ${o.lease?.token ?? null}::uuid end,
             case when s.leased then now() + make_interval(secs => ${o.lease?.seconds ?? 0}) end
      from source s
      returning id, lease_token is not null as leased
    )`;
}

/** Inserts deliveries (see insertAlive), none leased. Call inside a transaction. Returns the ids inserted. */
export async function insertDeliveries(db: Executor, rows: NewDelivery[]): Promise<Set<string>> {
  if (!rows.length) return new Set();
  const { rows: inserted } = await sql<{ id: string }>`
    with ${insertAlive(rows, { leased: sql<boolean>`false` })}
    select id from inserted`.execute(db);
  return new Set(inserted.map((r) => r.id));
}

/**
 * Fan-out's write, one autocommitted statement (no transaction round trips): moves the tenant's
 * checkpoint to `position` only while its lease is still `token`, and only then inserts the
 * deliveries (see insertAlive). A candidate is inserted leased to the worker unless an earlier
 * delivery of its (endpoint, entity) is pending, since a handed-over message must not overtake
 * one waiting for a retry. Answers whether the checkpoint moved and the ids inserted leased.
 */
export async function commitFanOut(
  db: Executor,
  checkpoint: { tenantId: string; token: string; position: number },
  rows: NewDelivery[],
  lease: InsertLease,
): Promise<{ moved: boolean; leased: Set<string> }> {
  const { rows: answer } = await sql<{ moved: boolean; leased: string[] }>`
    with moved as (
      update webhook_checkpoints set position = ${checkpoint.position}, lease_token = null, lease_until = null
      where tenant_id = ${checkpoint.tenantId} and lease_token = ${checkpoint.token}
      returning 1
    ), ${insertAlive(rows, {
      lease,
      leased: sql<boolean>`r.candidate and not exists (
        select 1 from webhook_deliveries p
        where p.tenant_id = r.tenant_id and p.endpoint_id = r.endpoint_id and p.entity_key = r.entity_key and p.status = 'PENDING'
      )`,
      when: sql<boolean>`exists (select 1 from moved)`,
    })}
    select exists (select 1 from moved) as moved,
           coalesce((select json_agg(id) from inserted where leased), '[]'::json) as leased`.execute(db);
  const row = answer[0];
  return { moved: row?.moved ?? false, leased: new Set(row?.leased ?? []) };
}

export interface ClaimOptions {
  token: string;
  leaseSeconds: number;
  limit: number;
  perEndpoint: number;
  /** Endpoints with deliveries in flight in this process, and how many more each may take. */
  busy: Map<string, number>;
}

/**
 * Claims due deliveries for this worker with a lease. A delivery waits while an earlier one for
 * the same endpoint and entity is still pending (in flight, or waiting for a retry), which keeps
 * each entity's messages in order without holding back the rest of the endpoint. SKIP LOCKED lets
 * several processes claim at once without blocking or double-claiming; the lease (not a held
 * transaction) marks ownership, so the HTTP work happens outside any transaction and a crashed
 * worker's deliveries become claimable again when its lease ends.
 */
export async function claimDue(db: Executor, o: ClaimOptions): Promise<SendableDelivery[]> {
  const busyIds = [...o.busy.keys()];
  const busyFree = busyIds.map((id) => o.busy.get(id) ?? 0);
  const result = await sql<SendableDelivery>`
    with busy as (
      select * from unnest(${busyIds}::uuid[], ${busyFree}::int[]) as b(endpoint_id, free)
    ),
    candidates as (
      select d.tenant_id, d.id,
             row_number() over (partition by d.endpoint_id order by d.next_attempt_at, d.seq) as rn,
             coalesce(b.free, ${o.perEndpoint}) as free
      from (
        select d.tenant_id, d.id, d.endpoint_id, d.next_attempt_at, d.seq
        from webhook_deliveries d
        join webhook_endpoints e on e.tenant_id = d.tenant_id and e.id = d.endpoint_id and e.enabled
        where d.status = 'PENDING' and d.next_attempt_at <= now()
          and (d.lease_until is null or d.lease_until < now())
          and not exists (
            select 1 from webhook_deliveries p
            where p.tenant_id = d.tenant_id and p.endpoint_id = d.endpoint_id and p.entity_key = d.entity_key
              and p.status = 'PENDING' and p.seq < d.seq
          )
        order by d.next_attempt_at
        limit ${o.limit}
      ) d
      left join busy b on b.endpoint_id = d.endpoint_id
    ),
    picked as (
      select x.tenant_id, x.id
      from webhook_deliveries x
      where (x.tenant_id, x.id) in (select c.tenant_id, c.id from candidates c where c.rn <= c.free)
        -- Checked again on the row as locked: another worker may have leased it since our snapshot.
        and x.status = 'PENDING' and (x.lease_until is null or x.lease_until < now())
      order by x.next_attempt_at
      limit ${o.limit}
      for update of x skip locked
    )
    update webhook_deliveries w
    set lease_token = ${o.token}, lease_until = now() + make_interval(secs => ${o.leaseSeconds})
    from picked
    where w.tenant_id = picked.tenant_id and w.id = picked.id
    returning w.tenant_id, w.id, w.endpoint_id, w.message_id, w.payload, w.attempt_count`.execute(db);
  return result.rows;
}

/**
 * Whether any delivery could be claimed now or as soon as the one before it in its entity's order
 * finishes: pending, due and not leased. When none is, claims find nothing until new work comes.
 */
export async function anyUnleasedDue(db: Executor): Promise<boolean> {
  const result = await sql<{ found: boolean }>`
    select exists (
      select 1 from webhook_deliveries
      where status = 'PENDING' and next_attempt_at <= now() and (lease_until is null or lease_until < now())
    ) as found`.execute(db);
  return result.rows[0]?.found ?? true;
}

/** One attempt as the worker saw it; it is stored on the delivery row, or in the log later. */
export type Attempt = Omit<AttemptRow, 'tenant_id' | 'delivery_id'>;

export interface AttemptOutcome {
  delivery: SendableDelivery;
  attempt: Attempt;
  /** The delivery's state after this attempt. */
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  nextAttemptAt: Date | null;
}

/** The outcomes as a relation `o`, from one JSON document (see insertDeliveries for why JSON). */
function outcomesRelation(outcomes: AttemptOutcome[]) {
  const document = JSON.stringify(
    outcomes.map((o) => ({
      tenant_id: o.delivery.tenant_id,
      id: o.delivery.id,
      attempt_id: o.attempt.id,
      status: o.status,
      next_at: (o.nextAttemptAt ?? o.attempt.attempted_at).toISOString(),
      code: o.attempt.status_code,
      error: o.attempt.error,
      at: o.attempt.attempted_at.toISOString(),
      latency_ms: o.attempt.latency_ms,
      excerpt: o.attempt.response_excerpt,
    })),
  );
  return sql`json_to_recordset(${document}::json) as o(
    tenant_id uuid, id uuid, attempt_id uuid, status text, next_at timestamptz, code int, error text,
    at timestamptz, latency_ms int, excerpt text)`;
}

const MOVE_ON = sql`status = o.status, attempt_count = w.attempt_count + 1, next_attempt_at = o.next_at,
  lease_token = null, lease_until = null, last_attempt_id = o.attempt_id, last_attempted_at = o.at,
  last_status_code = o.code, last_latency_ms = o.latency_ms, last_response_excerpt = o.excerpt, last_error = o.error,
  finished_at = case when o.status = 'PENDING' then null else o.at end`;

/**
 * Records attempts and moves their deliveries on. The new attempt becomes the delivery's latest
 * (on its row), and the one it replaces moves to the attempt log. Only deliveries whose lease is
 * still this worker's move on: if a lease ran out and another worker took over, that worker's
 * result counts and this attempt goes straight to the log. Deliveries deleted meanwhile (with their
 * endpoint) are skipped. Returns the deliveries that were moved on.
 *
 * First attempts, nearly all of them, take one plain UPDATE (nothing to move, nothing to lock
 * first); whatever it did not match (a lost lease, an earlier attempt) goes through the full path.
 */
export async function recordOutcomes(db: Executor, token: string, outcomes: AttemptOutcome[], options: { autocommitted?: boolean } = {}): Promise<Set<string>> {
  // Autocommitted, each statement's COMMIT need not wait for its WAL flush (see noFlushWait).
  // The ids come back as one JSON array in one row: a row per delivery cost the driver more.
  const answer = options.autocommitted ? sql`coalesce(json_agg(id), '[]'::json) as ids, ${noFlushWait}` : sql`coalesce(json_agg(id), '[]'::json) as ids`;
  const moved = new Set<string>();
  const firsts = outcomes.filter((o) => o.delivery.attempt_count === 0);
  if (firsts.length) {
    const result = await sql<{ ids: string[] }>`
      with moved as (
        update webhook_deliveries w set ${MOVE_ON}
        from ${outcomesRelation(firsts)}
        where w.tenant_id = o.tenant_id and w.id = o.id and w.lease_token = ${token} and w.last_attempt_id is null
        returning w.id
      )
      select ${answer} from moved`.execute(db);
    for (const id of result.rows[0]?.ids ?? []) moved.add(id);
  }
  const rest = outcomes.filter((o) => !moved.has(o.delivery.id));
  if (!rest.length) return moved;
  // Rows are locked first, which also reads their latest version: the attempt that moves to the
  // log is the one being replaced.
  const result = await sql<{ ids: string[] }>`
    with o as (select * from ${outcomesRelation(rest)}),
    alive as (
      select w.tenant_id, w.id, w.lease_token = ${token} as ours, w.last_attempt_id, w.last_attempted_at,
             w.last_status_code, w.last_latency_ms, w.last_response_excerpt, w.last_error
      from webhook_deliveries w
      join o on o.tenant_id = w.tenant_id and o.id = w.id
      for update of w
    ),
    logged as (
      insert into webhook_attempts (tenant_id, id, delivery_id, attempted_at, status_code, latency_ms, response_excerpt, error)
      select a.tenant_id, a.last_attempt_id, a.id, a.last_attempted_at, a.last_status_code, a.last_latency_ms, a.last_response_excerpt, a.last_error
      from alive a where a.ours and a.last_attempt_id is not null
      union all
      select o.tenant_id, o.attempt_id, o.id, o.at, o.code, o.latency_ms, o.excerpt, o.error
      from o join alive a on a.tenant_id = o.tenant_id and a.id = o.id where not a.ours
    ),
    moved as (
      update webhook_deliveries w set ${MOVE_ON}
      from o join alive a on a.tenant_id = o.tenant_id and a.id = o.id
      where w.tenant_id = o.tenant_id and w.id = o.id and a.ours
      returning w.id
    )
    select ${answer} from moved`.execute(db);
  for (const id of result.rows[0]?.ids ?? []) moved.add(id);
  return moved;
}

/**
 * A select-list item that lets the COMMIT of the statement's own (autocommitted) transaction return
 * before its WAL reaches the disk. Only for bookkeeping whose loss in a database crash costs a
 * repeat, never a message: a lost outcome leaves its delivery leased until the lease ends, and it is
 * sent again (at least once, as always); a lost lease is no lease. Others still see the change as
 * soon as it commits. On a shared disk every flush saved is one the API's commits do not queue behind.
 */
export const noFlushWait = sql`set_config('synchronous_commit', 'off', true)`;

/**
 * Refreshes the planner's statistics of the delivery queue. A burst turns an empty table into
 * thousands of rows faster than autovacuum notices (PGlite has no autovacuum at all), and the
 * claim query's plan needs to know the table is no longer empty.
 */
export async function refreshQueueStatistics(db: Executor): Promise<void> {
  await sql`analyze webhook_deliveries`.execute(db);
}

/** Deletes finished deliveries (and their attempts) older than the retention, a batch at a time. */
export async function purgeFinished(db: Executor, olderThanDays: number, batch = 5_000): Promise<number> {
  // created_at narrows the scan through its block-range index; a delivery finishes after it is created.
  const result = await sql`delete from webhook_deliveries
    where (tenant_id, id) in (
      select tenant_id, id from webhook_deliveries
      where created_at < now() - make_interval(days => ${olderThanDays})
        and status <> 'PENDING' and finished_at < now() - make_interval(days => ${olderThanDays})
      limit ${batch})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Gives claimed deliveries back without an attempt (the worker is stopping). */
export async function releaseLeases(db: Executor, token: string, keys: Array<{ tenantId: string; id: string }>): Promise<void> {
  if (!keys.length) return;
  await db
    .updateTable('webhook_deliveries')
    .set({ lease_token: null, lease_until: null })
    .where('lease_token', '=', token)
    .where((eb) =>
      eb(
        eb.refTuple('tenant_id', 'id'),
        'in',
        keys.map((k) => eb.tuple(k.tenantId, k.id)),
      ),
    )
    .execute();
}

export async function findDelivery(db: Executor, tenantId: string, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/**
 * Deliveries newest first: one endpoint's, or the tenant's across its endpoints (one company's
 * endpoints for a company's principal).
 */
export async function listDeliveries(
  db: Executor,
  f: { tenantId: string; endpointId?: string; companyId: string | null; status?: DeliveryStatus; after?: { ts: Date; id: string }; limit: number },
): Promise<DeliveryRow[]> {
  let q = db.selectFrom('webhook_deliveries as d').selectAll('d').where('d.tenant_id', '=', f.tenantId);
  if (f.endpointId) q = q.where('d.endpoint_id', '=', f.endpointId);
  const companyId = f.companyId;
  if (companyId) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('webhook_endpoints as e')
          .select('e.id')
          .whereRef('e.tenant_id', '=', 'd.tenant_id')
          .whereRef('e.id', '=', 'd.endpoint_id')
          .where('e.company_id', '=', companyId),
      ),
    );
  }
  if (f.status) q = q.where('d.status', '=', f.status);
  const after = f.after;
  if (after) {
    q = q.where((eb) => eb.or([eb('d.created_at', '<', after.ts), eb.and([eb('d.created_at', '=', after.ts), eb('d.id', '<', after.id)])]));
  }
  return q
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(f.limit + 1)
    .execute();
}

/** Messages the tenant's endpoints gave up on and that are still in the log. */
export async function countFailed(db: Executor, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'FAILED')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Every attempt of a delivery, oldest first: the logged ones, then the latest from the delivery row. */
export async function listAttempts(db: Executor, delivery: DeliveryRow): Promise<AttemptRow[]> {
  const logged = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('tenant_id', '=', delivery.tenant_id)
    .where('delivery_id', '=', delivery.id)
    .orderBy('attempted_at')
    .limit(1000)
    .execute();
  if (!delivery.last_attempt_id || !delivery.last_attempted_at) return logged;
  const latest: AttemptRow = {
    tenant_id: delivery.tenant_id,
    id: delivery.last_attempt_id,
    delivery_id: delivery.id,
    attempted_at: delivery.last_attempted_at,
    status_code: delivery.last_status_code,
    latency_ms: delivery.last_latency_ms ?? 0,
    response_excerpt: delivery.last_response_excerpt,
    error: delivery.last_error,
  };
  // Usually last already; an attempt made after its lease ran out is logged directly and may be later.
  return [...logged, latest].sort((a, b) => a.attempted_at.getTime() - b.attempted_at.getTime());
}

/**
 * Events of one tenant in a time window that the endpoint has no delivery for (missed while
 * disabled). The endpoint's deliveries are read through the log's index (endpoint, created_at)
 * from `since` on, not through an index on event_id, which every delivery write would have to keep
 * up: a delivery is created after its event committed, by the same database clock, and `since`
 * has whole milliseconds like created_at, so a delivery of an event at or after `since` was created
 * at or after `since` too. The event ids are hashed once (NOT IN over a subquery without nulls).
 */
export async function eventsWithoutDelivery(db: Executor, f: { tenantId: string; endpointId: string; since: Date; until: Date; limit: number }) {
  return db
    .selectFrom('events as e')
    .selectAll('e')
    .where('e.tenant_id', '=', f.tenantId)
    .where('e.occurred_at', '>=', f.since)
    .where('e.occurred_at', '<', f.until)
    .where('e.id', 'not in', ({ selectFrom }) =>
      selectFrom('webhook_deliveries as d')
        .select('d.event_id')
        .where('d.tenant_id', '=', f.tenantId)
        .where('d.endpoint_id', '=', f.endpointId)
        .where('d.created_at', '>=', f.since)
        .where('d.event_id', 'is not', null),
    )
    .orderBy('e.position')
    .limit(f.limit)
    .execute();
}

/** Queues failed deliveries of a window again, keeping their message ids. */
export async function requeueFailed(db: Executor, f: { tenantId: string; endpointId: string; since: Date; until: Date }): Promise<number> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'PENDING', next_attempt_at: new Date(), finished_at: null })
    .where('tenant_id', '=', f.tenantId)
    .where('endpoint_id', '=', f.endpointId)
    .where('status', '=', 'FAILED')
    .where('created_at', '>=', f.since)
    .where('created_at', '<', f.until)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
