import { randomBytes } from 'node:crypto';
import { CredentialUnreadableError, type CredentialBox } from '../crypto/credential-box.js';
import type { Db } from './database.js';

export class ServerSecretUnreadableError extends Error {}

/** Runs `work` on a stored secret, naming the secret when no configured key opens it. */
function readable<T>(name: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (!(err instanceof CredentialUnreadableError)) throw err;
    throw new ServerSecretUnreadableError(`server secret "${name}": ${err.message}`);
  }
}

/**
 * Returns a named random secret kept in the database (the JWT signing key, the client-secret
 * pepper), creating it on first use. Kept in the database rather than on disk so every process
 * on one PostgreSQL signs and verifies with the same key, and tokens survive restarts.
 *
 * With WAYBILL_CREDENTIALS_KEY set, the stored value is sealed under it (see CredentialBox), so a
 * copy of the database alone cannot mint tokens or test guessed client secrets. A value stored
 * before the key was set, or under WAYBILL_CREDENTIALS_KEY_PREVIOUS, is sealed again at once.
 */
export async function serverSecret(db: Db, name: string, box: CredentialBox): Promise<Buffer> {
  await db
    .insertInto('server_secrets')
    .values({ name, value: box.seal(randomBytes(32).toString('base64')) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  const plain = readable(name, () => box.open(row.value));
  const resealed = readable(name, () => box.resealed(row.value));
  if (resealed) await db.updateTable('server_secrets').set({ value: resealed }).where('name', '=', name).execute();
  return Buffer.from(plain, 'base64');
}

/**
 * Seals every server secret under the current key (for `waybill credentials seal`, after a key
 * change); returns how many server secrets are now sealed under it. Throws when one cannot be
 * opened with the configured keys.
 */
export async function resealServerSecrets(db: Db, box: CredentialBox): Promise<number> {
  const rows = await db.selectFrom('server_secrets').select(['name', 'value']).execute();
  for (const row of rows) {
    const value = readable(row.name, () => box.resealed(row.value));
    if (value) await db.updateTable('server_secrets').set({ value }).where('name', '=', row.name).execute();
  }
  return rows.length;
}
