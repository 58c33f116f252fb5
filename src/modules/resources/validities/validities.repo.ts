import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import { keysetPage } from '../../../platform/db/keyset.js';
import type { ValidityTable } from '../resources.tables.js';

export type ValidityRow = Selectable<ValidityTable>;
export interface ValiditySubject {
  tenantId: string;
  type: ValidityTable['subject_type'];
  id: string;
}

const ofSubject = (db: Executor, s: ValiditySubject) =>
  db.selectFrom('validities').selectAll().where('tenant_id', '=', s.tenantId).where('subject_type', '=', s.type).where('subject_id', '=', s.id);

export async function insertValidity(db: Executor, row: Insertable<ValidityTable>): Promise<ValidityRow> {
  return db.insertInto('validities').values(row).returningAll().executeTakeFirstOrThrow();
}

/** One validity of the subject; locked when `lock` is set. */
export async function findValidity(db: Executor, subject: ValiditySubject, id: string, lock = false): Promise<ValidityRow | undefined> {
  const q = ofSubject(db, subject).where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export async function updateValidity(db: Executor, subject: ValiditySubject, id: string, values: Updateable<ValidityTable>): Promise<ValidityRow | undefined> {
  return db
    .updateTable('validities')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('tenant_id', '=', subject.tenantId)
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes the validity; its last state, or undefined when there was none. */
export async function deleteValidity(db: Executor, subject: ValiditySubject, id: string): Promise<ValidityRow | undefined> {
  return db
    .deleteFrom('validities')
    .where('tenant_id', '=', subject.tenantId)
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Validities by id, for the company documents that prove them. */
export async function findValiditiesByIds(db: Executor, tenantId: string, ids: string[]): Promise<ValidityRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('validities').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
}

/** Validities overlapping [from, to) (an open end overlaps every later window), by start time. */
export async function listValidities(
  db: Executor,
  subject: ValiditySubject,
  page: { from?: Date; to?: Date; after?: { ts: Date; id: string }; limit: number },
): Promise<ValidityRow[]> {
  let q = ofSubject(db, subject);
  const from = page.from;
  if (from) q = q.where((eb) => eb.or([eb('end_time', 'is', null), eb('end_time', '>', from)]));
  if (page.to) q = q.where('start_time', '<', page.to);
  return keysetPage(q, 'start_time', page);
}
