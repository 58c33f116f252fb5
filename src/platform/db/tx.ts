import type { Transaction } from 'kysely';
import { inSpan } from '../tracing/spans.js';
import type { Database, Db } from './database.js';

/**
 * An open transaction plus the work to run once it has committed (waking the webhook worker,
 * say). Nothing registered here runs if the transaction rolls back.
 */
export interface Tx {
  trx: Transaction<Database>;
  afterCommit(fn: () => void): void;
}

export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const callbacks: Array<() => void> = [];
  const result = await inSpan('db.transaction', {}, () => db.transaction().execute((trx) => work({ trx, afterCommit: (fn) => callbacks.push(fn) })));
  for (const fn of callbacks) fn();
  return result;
}
