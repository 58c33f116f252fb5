import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { badRequest, detail, notFound } from '../../platform/http/errors.js';
import { cursorField, decodeCursor, pageOf } from '../../platform/http/pagination.js';
import type { Principal } from '../../platform/http/principal.js';
import type { CompaniesService } from '../companies/companies.service.js';
import type { ResourcesService } from './resources.service.js';
import * as repo from './validities.repo.js';
import type { ValidityRow, ValiditySubject } from './validities.repo.js';
import type { ValidityInput, ValidityOutput } from './validities.schemas.js';

export type ValiditiesService = ReturnType<typeof createValiditiesService>;
export type SubjectType = ValiditySubject['type'];

const iso = (d: Date | null) => d?.toISOString() ?? null;

function validityOutput(row: ValidityRow): ValidityOutput {
  return {
    id: row.id,
    start_time: row.start_time.toISOString(),
    end_time: iso(row.end_time),
    legal_end_time: iso(row.legal_end_time),
    generate_unavailability: row.generate_unavailability,
    type: row.type as ValidityOutput['type'],
    external_id: row.external_id,
    description: row.description,
  };
}

function valuesOf(input: ValidityInput) {
  const start = new Date(input.start_time);
  const end = input.end_time ? new Date(input.end_time) : null;
  if (end && end <= start) throw badRequest('end_time must be after start_time', [detail('end_time must be after start_time', 'end_time', 'body.end_time')]);
  return {
    type: input.type,
    start_time: start,
    end_time: end,
    legal_end_time: input.legal_end_time ? new Date(input.legal_end_time) : null,
    generate_unavailability: input.generate_unavailability ?? false,
    external_id: input.external_id ?? null,
    description: input.description ?? null,
  };
}

/**
 * Validities (licences, certificates, insurances with a period) of resources and of
 * subcontractor companies: the same record under two parents, each checked to be the tenant's.
 */
export function createValiditiesService(deps: { db: Db; resources: ResourcesService; companies: CompaniesService }) {
  const { db, resources, companies } = deps;

  async function subjectOf(principal: Principal, type: SubjectType, id: string): Promise<ValiditySubject> {
    if (type === 'resource') await resources.variantOf(principal.tenantId, id);
    else if (!(await companies.findById(principal.tenantId, id))) throw notFound('Company');
    return { tenantId: principal.tenantId, type, id };
  }

  return {
    async list(principal: Principal, type: SubjectType, subjectId: string, query: { start_time?: string; end_time?: string; cursor?: string; limit?: number }) {
      const subject = await subjectOf(principal, type, subjectId);
      const limit = query.limit ?? 100;
      const filters = { start_time: query.start_time, end_time: query.end_time };
      const state = query.cursor ? decodeCursor<typeof filters>(query.cursor, filters, { start_time: cursorField.dateTime, end_time: cursorField.dateTime }) : undefined;
      const f = state?.filters ?? filters;
      const rows = await repo.listValidities(db, subject, {
        from: f.start_time ? new Date(f.start_time) : undefined,
        to: f.end_time ? new Date(f.end_time) : undefined,
        after: state && { ts: new Date(state.after.ts), id: state.after.id },
        limit,
      });
      const page = pageOf(rows, limit, f, (r) => ({ ts: r.start_time, id: r.id }));
      return { items: page.rows.map(validityOutput), next_cursor: page.next_cursor };
    },

    async create(principal: Principal, type: SubjectType, subjectId: string, input: ValidityInput) {
      const subject = await subjectOf(principal, type, subjectId);
      const row = await repo.insertValidity(db, { tenant_id: subject.tenantId, id: randomUUID(), subject_type: type, subject_id: subject.id, ...valuesOf(input) });
      return validityOutput(row);
    },

    async get(principal: Principal, type: SubjectType, subjectId: string, id: string) {
      const row = await repo.findValidity(db, await subjectOf(principal, type, subjectId), id);
      if (!row) throw notFound('Validity');
      return validityOutput(row);
    },

    async replace(principal: Principal, type: SubjectType, subjectId: string, id: string, input: ValidityInput) {
      const subject = await subjectOf(principal, type, subjectId);
      const row = await repo.updateValidity(db, subject, id, { ...valuesOf(input), updated_at: new Date() });
      if (!row) throw notFound('Validity');
      return validityOutput(row);
    },

    async remove(principal: Principal, type: SubjectType, subjectId: string, id: string): Promise<void> {
      if (!(await repo.deleteValidity(db, await subjectOf(principal, type, subjectId), id))) throw notFound('Validity');
    },
  };
}
