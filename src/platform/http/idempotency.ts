import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { badRequest, conflict } from './errors.js';
import type { Principal } from './principal.js';

const RETENTION_HOURS = 24;

/** The header a replay carries when it left out fields that only the first answer may show. */
const SECRET_SHOWN_ONCE_HEADER = 'secret-shown-once';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey?: string;
  }
  interface FastifyContextConfig {
    /**
     * Top-level fields of this route's answer that hold a secret shown only once (a client
     * secret, a signing secret). They are never stored with the idempotency key, so a replay
     * answers without them and says so in the `Secret-Shown-Once` header.
     */
    secretFields?: string[];
  }
}

/** The answer as stored for replays: JSON without the route's secret fields. */
function storable(payload: string, secretFields: string[] | undefined): string {
  if (!secretFields?.length) return payload;
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return payload;
  }
  if (typeof body !== 'object' || body === null) return payload;
  const kept = Object.fromEntries(Object.entries(body).filter(([field]) => !secretFields.includes(field)));
  return JSON.stringify(kept);
}

function requestHash(request: FastifyRequest): string {
  const route = `${request.method} ${request.url}`;
  // A streamed body (a file upload) is not read yet: its declared type and length stand in for it,
  // so a different file under the same key is a conflict rather than a replay of the first.
  const body =
    request.body === undefined ? `stream ${request.headers['content-type'] ?? ''} ${request.headers['content-length'] ?? ''}` : JSON.stringify(request.body);
  return createHash('sha256').update(route).update('\0').update(body).digest('hex');
}

/** Keys are the caller's own: a driver's link keeps its keys apart from those of whoever shared it. */
const keyScope = (principal: Principal, key: string) => ({
  tenant_id: principal.tenantId,
  api_client_id: principal.driver?.linkId ?? principal.apiClientId,
  key,
});

/**
 * `Idempotency-Key` on POST: the first request with a key reserves it; its response (any status
 * below 500) is stored and replayed for the same key and body for 24 hours. The same key with a
 * different body, or while the first is still running, is a 409. A 5xx frees the key for a retry.
 * Keys are scoped per API client. Secrets in an answer (`secretFields`) are never stored, so a
 * replay never reveals them a second time and a copy of the table holds none.
 */
export function registerIdempotency(app: FastifyInstance, db: Db) {
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined || !request.principal) return;
    if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
      throw badRequest('Idempotency-Key must be 1 to 255 characters');
    }
    const hash = requestHash(request);
    const scope = keyScope(request.principal, key);

    await db
      .deleteFrom('idempotency_keys')
      .where((eb) => eb.and(scope))
      .where((eb) =>
        eb.or([
          eb('created_at', '<', sql<Date>`now() - make_interval(hours => ${RETENTION_HOURS})`),
          // A reservation whose request died without answering must not block the key for a day.
          eb.and([eb('status_code', 'is', null), eb('created_at', '<', sql<Date>`now() - interval '2 minutes'`)]),
        ]),
      )
      .execute();
    const reserved = await db
      .insertInto('idempotency_keys')
      .values({ ...scope, method_path: `${request.method} ${request.routeOptions.url}`, request_hash: hash })
      .onConflict((oc) => oc.doNothing())
      .returning('key')
      .executeTakeFirst();
    if (reserved) {
      request.idempotencyKey = key;
      return;
    }
    const existing = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where((eb) => eb.and(scope))
      .executeTakeFirst();
    if (!existing) throw conflict('The request with this Idempotency-Key just finished; retry it');
    if (existing.request_hash !== hash) {
      throw conflict('This Idempotency-Key was used for a different request; use a new key');
    }
    if (existing.status_code === null) {
      throw conflict('A request with this Idempotency-Key is still in progress; retry later');
    }
    reply.header('idempotent-replayed', 'true');
    const secretFields = request.routeOptions.config?.secretFields;
    if (secretFields?.length) reply.header(SECRET_SHOWN_ONCE_HEADER, secretFields.join(', '));
    if (existing.response_type) reply.header('content-type', existing.response_type);
    return reply.code(existing.status_code).send(existing.response_body ?? '');
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const key = request.idempotencyKey;
    if (!key || !request.principal) return payload;
    request.idempotencyKey = undefined;
    const scope = keyScope(request.principal, key);
    if (reply.statusCode >= 500 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) {
      await db
        .deleteFrom('idempotency_keys')
        .where((eb) => eb.and(scope))
        .execute();
      return payload;
    }
    await db
      .updateTable('idempotency_keys')
      .where((eb) => eb.and(scope))
      .set({
        status_code: reply.statusCode,
        response_body: storable(payload.toString(), request.routeOptions.config?.secretFields),
        response_type: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
      })
      .execute();
    return payload;
  });
}

/** Drops keys past their retention; the server runs this hourly. */
export async function purgeExpiredIdempotencyKeys(db: Db): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${RETENTION_HOURS})`)
    .execute();
}
