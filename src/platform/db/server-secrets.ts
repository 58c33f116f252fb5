import { randomBytes } from 'node:crypto';
import type { Db } from './database.js';

/**
 * Returns a named random secret kept in the database (the JWT signing key, the client-secret
 * pepper), creating it on first use. Kept in the database rather than on disk so every process
 * on one PostgreSQL signs and verifies with the same key, and tokens survive restarts.
 */
export async function serverSecret(db: Db, name: string): Promise<Buffer> {
  await db
    .insertInto('server_secrets')
    .values({ name, value: randomBytes(32).toString('base64') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64');
}
