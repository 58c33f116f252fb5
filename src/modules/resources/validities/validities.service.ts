import { randomUUID } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { badRequest, detail, notFound } from '../../../platform/http/errors.js';
import { paginate } from '../../../platform/http/pagination.js';
import type { Principal } from '../../../platform/http/principal.js';
import type { CompaniesService } from '../../companies/index.js';
import type { DocumentsService } from '../../documents/index.js';
import { bareDocumentType, type ValidityDocumentInput } from '../master-data-documents/master-data-documents.schemas.js';
import { appendMasterDataEvent, type MasterDataOperation } from '../../events/index.js';
import type { ResourcesService } from '../resources.service.js';
import type { UnavailabilityService } from '../unavailability/unavailability.service.js';
import { windowOf, windowPaging } from '../unavailability/unavailability.input.js';
import { generatedPeriod } from './validities.policy.js';
import * as repo from './validities.repo.js';
import type { ValidityRow, ValiditySubject } from './validities.repo.js';
import type { ValidityInput, ValidityOutput } from './validities.schemas.js';

export type ValiditiesService = ReturnType<typeof createValiditiesService>;
export type SubjectType = ValiditySubject['type'];

const iso = (d: Date | null) => d?.toISOString() ?? null;
/** A validity is proved by a handful of files; this bounds its unpaged list. */
const MAX_VALIDITY_DOCUMENTS = 200;

export function validityOutput(row: ValidityRow): ValidityOutput {
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

function valuesOf(input: Omit<ValidityInput, 'documents'>) {
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
type ValidityValues = ReturnType<typeof valuesOf>;

/**
 * Validities (licences, certificates, insurances with a period) of resources and of
 * subcontractor companies: the same record under two parents, each checked to be the tenant's.
 * Every write is one transaction with its documents, the unavailability it generates and the
 * master_data events of both.
 */
export function createValiditiesService(deps: {
  db: Db;
  bus: EventBus;
  resources: ResourcesService;
  companies: CompaniesService;
  unavailability: UnavailabilityService;
  documents: DocumentsService;
}) {
  const { db, bus, resources, companies, unavailability, documents } = deps;

  async function subjectOf(principal: Principal, type: SubjectType, id: string): Promise<ValiditySubject & { variant?: string }> {
    if (type === 'resource') return { tenantId: principal.tenantId, type, id, variant: await resources.variantOf(principal.tenantId, id) };
    if (!(await companies.findById(principal.tenantId, id))) throw notFound('Company');
    return { tenantId: principal.tenantId, type, id };
  }

  async function announce(tx: Tx, principal: Principal, operation: MasterDataOperation, row: ValidityRow) {
    await appendMasterDataEvent(tx, bus, {
      tenantId: row.tenant_id,
      entity: 'validity',
      operation,
      id: row.id,
      keys: { external_id: row.external_id, subject_type: row.subject_type, subject_id: row.subject_id },
      version: row.version,
      record: validityOutput(row),
      origin: principal,
    });
  }

  /**
   * Makes the resource's generated unavailability match the validity (`values`, or none once the
   * validity is gone): created, moved or removed. Returns the id the validity keeps.
   */
  async function syncUnavailability(
    tx: Tx,
    principal: Principal,
    subject: { type: SubjectType; id: string; variant?: string },
    currentId: string | null,
    values: ValidityValues | null,
  ) {
    const wanted = values && subject.variant ? generatedPeriod(subject.variant, values) : null;
    if (currentId) {
      const op = wanted ? 'updated' : 'deleted';
      const changed = await unavailability.changeInTx(tx, principal, subject.id, currentId, op, wanted ?? { deleted_at: new Date() });
      // Deleted by hand meanwhile: a period still wanted is generated again.
      if (changed) return wanted ? changed.id : null;
    }
    return wanted ? (await unavailability.insertInTx(tx, principal, subject.id, wanted)).id : null;
  }

  async function attachDocuments(tx: Tx, principal: Principal, validity: ValidityRow, docs: ValidityDocumentInput[] | undefined) {
    for (const [i, doc] of (docs ?? []).entries()) {
      await documents.attachUpload(tx, {
        tenantId: principal.tenantId,
        subjectType: 'VALIDITY',
        subjectId: validity.id,
        validityId: validity.id,
        companyIds: [],
        type: bareDocumentType(doc.document_type),
        name: doc.name,
        uploadId: doc.upload_id,
        uploadIdPath: `body.documents.${i}.upload_id`,
        uploadedBy: principal.apiClientId,
        attachedByCompanyId: principal.companyId,
      });
    }
  }

  /** A new validity inside the caller's transaction (also used for a company document sent with its validity). */
  async function insertInTx(tx: Tx, principal: Principal, subject: ValiditySubject & { variant?: string }, input: Omit<ValidityInput, 'documents'>) {
    const values = valuesOf(input);
    const unavailabilityId = await syncUnavailability(tx, principal, subject, null, values);
    const row = await repo.insertValidity(tx.trx, {
      tenant_id: subject.tenantId,
      id: randomUUID(),
      subject_type: subject.type,
      subject_id: subject.id,
      ...values,
      unavailability_id: unavailabilityId,
    });
    await announce(tx, principal, 'created', row);
    return row;
  }

  return {
    insertInTx,

    async outputsByIds(tenantId: string, ids: string[]): Promise<Map<string, ValidityOutput>> {
      const rows = await repo.findValiditiesByIds(db, tenantId, ids);
      return new Map(rows.map((r) => [r.id, validityOutput(r)]));
    },

    /** The subject for a company's validities, or a 404 for another tenant's company. */
    companySubject: (principal: Principal, companyId: string) => subjectOf(principal, 'company', companyId),

    async list(principal: Principal, type: SubjectType, subjectId: string, query: { start_time?: string; end_time?: string; cursor?: string; limit?: number }) {
      const subject = await subjectOf(principal, type, subjectId);
      const page = await paginate({
        query,
        ...windowPaging(query),
        fetch: ({ filters: f, after, limit }) => repo.listValidities(db, subject, { ...windowOf(f), after, limit }),
        key: (r) => ({ ts: r.start_time, id: r.id }),
      });
      return { items: page.rows.map(validityOutput), next_cursor: page.next_cursor };
    },

    async create(principal: Principal, type: SubjectType, subjectId: string, input: ValidityInput) {
      const subject = await subjectOf(principal, type, subjectId);
      const { documents: docs, ...fields } = input;
      const row = await inTransaction(db, async (tx) => {
        const created = await insertInTx(tx, principal, subject, fields);
        await attachDocuments(tx, principal, created, docs);
        return created;
      });
      return validityOutput(row);
    },

    async get(principal: Principal, type: SubjectType, subjectId: string, id: string) {
      const row = await repo.findValidity(db, await subjectOf(principal, type, subjectId), id);
      if (!row) throw notFound('Validity');
      return validityOutput(row);
    },

    /** Documents sent with the validity are attached (again sending one already attached changes nothing). */
    async replace(principal: Principal, type: SubjectType, subjectId: string, id: string, input: ValidityInput) {
      const subject = await subjectOf(principal, type, subjectId);
      const values = valuesOf(input);
      const row = await inTransaction(db, async (tx) => {
        const current = await repo.findValidity(tx.trx, subject, id, true);
        if (!current) throw notFound('Validity');
        const unavailabilityId = await syncUnavailability(tx, principal, subject, current.unavailability_id, values);
        const updated = await repo.updateValidity(tx.trx, subject, id, { ...values, unavailability_id: unavailabilityId, updated_at: new Date() });
        if (!updated) throw notFound('Validity');
        await attachDocuments(tx, principal, updated, input.documents);
        await announce(tx, principal, 'updated', updated);
        return updated;
      });
      return validityOutput(row);
    },

    /** Deletes the validity and the unavailability it generated; its documents stay downloadable by the tenant. */
    async remove(principal: Principal, type: SubjectType, subjectId: string, id: string): Promise<void> {
      const subject = await subjectOf(principal, type, subjectId);
      await inTransaction(db, async (tx) => {
        const gone = await repo.deleteValidity(tx.trx, subject, id);
        if (!gone) throw notFound('Validity');
        await syncUnavailability(tx, principal, subject, gone.unavailability_id, null);
        await announce(tx, principal, 'deleted', gone);
      });
    },

    async listDocuments(principal: Principal, type: SubjectType, subjectId: string, id: string) {
      const subject = await subjectOf(principal, type, subjectId);
      if (!(await repo.findValidity(db, subject, id))) throw notFound('Validity');
      return documents.listForValidity(principal.tenantId, id, MAX_VALIDITY_DOCUMENTS);
    },
  };
}
