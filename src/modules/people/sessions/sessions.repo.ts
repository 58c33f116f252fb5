import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import '../people.tables.js';

export async function insertSession(db: Executor, row: { tenant_id: string; token_hash: string; user_id: string }) {
  return db.insertInto('user_sessions').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A session with its person, and how old it is by the database's clock (seconds). */
export async function findSession(db: Executor, tenantId: string, tokenHash: string) {
  return db
    .selectFrom('user_sessions as s')
    .innerJoin('users as u', (join) => join.onRef('u.tenant_id', '=', 's.tenant_id').onRef('u.id', '=', 's.user_id'))
    .selectAll('u')
    .select([
      's.created_at as session_created_at',
      's.last_seen_at as session_last_seen_at',
      sql<number>`extract(epoch from now() - s.created_at)::float8`.as('age_seconds'),
      sql<number>`extract(epoch from now() - s.last_seen_at)::float8`.as('idle_seconds'),
    ])
    .where('s.tenant_id', '=', tenantId)
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchSession(db: Executor, tenantId: string, tokenHash: string) {
  await db
    .updateTable('user_sessions')
    .set({ last_seen_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('token_hash', '=', tokenHash)
    .execute();
}

export async function deleteSession(db: Executor, tenantId: string, tokenHash: string) {
  await db.deleteFrom('user_sessions').where('tenant_id', '=', tenantId).where('token_hash', '=', tokenHash).execute();
}

/** Ends every session of a person (sign-out, disable, a new password). */
export async function deleteUserSessions(db: Executor, tenantId: string, userId: string) {
  await db.deleteFrom('user_sessions').where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
}

/** Forgets a person's sessions that have ended by time, so rows of abandoned browsers do not pile up. */
export async function deleteEndedSessions(db: Executor, tenantId: string, userId: string, lifetimes: { idleSeconds: number; absoluteSeconds: number }) {
  await db
    .deleteFrom('user_sessions')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where((eb) =>
      eb.or([
        eb('created_at', '<=', sql<Date>`now() - make_interval(secs => ${lifetimes.absoluteSeconds})`),
        eb('last_seen_at', '<=', sql<Date>`now() - make_interval(secs => ${lifetimes.idleSeconds})`),
      ]),
    )
    .execute();
}
