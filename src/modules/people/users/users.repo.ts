import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { After } from '../../../platform/http/pagination.js';
import type { UserStatus, UserTable } from '../people.tables.js';
import '../people.tables.js';
import { keysetPage } from '../../../platform/db/keyset.js';

export type UserRow = Selectable<UserTable>;

export async function insertUser(
  db: Executor,
  row: Omit<UserTable, 'created_at' | 'last_sign_in_at' | 'password_hash' | 'failed_sign_ins' | 'failed_window_ends_at'>,
): Promise<UserRow> {
  return db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findUser(db: Executor, tenantId: string, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** Across tenants: an address signs in to exactly one tenant. */
export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findUserByInvite(db: Executor, tenantId: string, inviteHash: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('invite_hash', '=', inviteHash)
    .where('invite_expires_at', '>', new Date())
    .where('status', '!=', 'DISABLED')
    .executeTakeFirst();
}

export async function listUsers(db: Executor, tenantId: string, after: After | undefined, limit: number): Promise<UserRow[]> {
  const query = db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId);
  return keysetPage(query, 'created_at', { after, limit });
}

export async function updateUser(
  db: Executor,
  tenantId: string,
  id: string,
  set: Partial<Pick<UserTable, 'status' | 'password_hash' | 'invite_hash' | 'invite_expires_at' | 'last_sign_in_at'> & { failed_sign_ins: number }>,
): Promise<UserRow | undefined> {
  return db.updateTable('users').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Uses an invite: only one of two racing requests with the same link gets the row back. */
export async function consumeInvite(db: Executor, tenantId: string, inviteHash: string, set: { password_hash?: string; status: UserStatus }) {
  return db
    .updateTable('users')
    .set({ ...set, invite_hash: null, invite_expires_at: null })
    .where('tenant_id', '=', tenantId)
    .where('invite_hash', '=', inviteHash)
    .where('invite_expires_at', '>', new Date())
    .where('status', '!=', 'DISABLED')
    .returningAll()
    .executeTakeFirst();
}

/**
 * Counts a failed sign-in for the account, in a window that starts with the first failure: one
 * statement, so failures counted by several processes at once all count.
 */
export async function countFailedSignIn(db: Executor, tenantId: string, id: string, windowSeconds: number): Promise<void> {
  await db
    .updateTable('users')
    .set({
      failed_sign_ins: sql`case when failed_window_ends_at > now() then failed_sign_ins + 1 else 1 end`,
      failed_window_ends_at: sql`case when failed_window_ends_at > now() then failed_window_ends_at else now() + make_interval(secs => ${windowSeconds}) end`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}
