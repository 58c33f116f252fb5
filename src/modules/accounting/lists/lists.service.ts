import type { Db } from '../../../platform/db/database.js';
import { cursorField, paginate } from '../../../platform/http/pagination.js';
import type { Principal } from '../../../platform/http/principal.js';
import type { DocumentKind, DocumentStatus } from '../documents/documents.tables.js';
import * as repo from '../documents/documents.repo.js';
import type { BillingService } from '../documents/documents.service.js';
import type { ReferenceService } from '../reference/reference.service.js';
import type { DocumentListQuery } from './lists.schemas.js';

/** The contract's statuses (what the lists filter by) → the stored ones; PRE_INVOICED is never stored, so it lists nothing. */
const STORED_STATUS: Record<string, DocumentStatus | 'NONE'> = {
  DRAFT: 'DRAFT',
  PRE_INVOICED: 'NONE',
  INVOICED: 'INVOICED',
  INVOICE_POSTED: 'POSTED',
  POSTED: 'POSTED',
};

const STATUSES = Object.keys(STORED_STATUS);

export type ListsService = ReturnType<typeof createListsService>;

/**
 * The lists an accountant works from: one kind of document at a time, filtered by state, party,
 * billing entity, date range and change time, in the order they last changed. Each item is the
 * document exactly as its GET answers it.
 */
export function createListsService(deps: { db: Db; billing: Pick<BillingService, 'output'>; reference: Pick<ReferenceService, 'entityMap'> }) {
  const { db, billing, reference } = deps;

  return {
    async list(principal: Principal, kind: DocumentKind, query: DocumentListQuery) {
      const tenantId = principal.tenantId;
      const filters = {
        status: query.status,
        company_id: query.customer_id ?? query.supplier_id,
        billing_entity_code: query.billing_entity_code,
        date_gte: query['date:gte'],
        date_lte: query['date:lte'],
        updated_after: query.updated_after,
      };
      const page = await paginate({
        query,
        filters,
        fields: {
          status: cursorField.oneOf(STATUSES),
          company_id: cursorField.uuid,
          billing_entity_code: cursorField.text(50),
          date_gte: cursorField.date,
          date_lte: cursorField.date,
          updated_after: cursorField.dateTime,
        },
        defaultLimit: 50,
        // A cursor alone carries the filters of the list it continues (paginate hands them over).
        fetch: async ({ filters: f, after, limit }) => {
          // A customer sees the documents issued to its company and no others (readers.policy.ts): another company's id lists nothing.
          const customer = principal.role === 'TENANT' ? undefined : principal.companyId;
          if (customer !== undefined && (customer === null || (f.company_id && f.company_id !== customer))) return [];
          let billingEntityId: string | undefined;
          if (f.billing_entity_code) {
            billingEntityId = [...(await reference.entityMap(tenantId)).values()].find((e) => e.code === f.billing_entity_code)?.id;
            if (!billingEntityId) return [];
          }
          const status = f.status ? STORED_STATUS[f.status] : undefined;
          if (status === 'NONE' || (customer && status === 'DRAFT')) return [];
          return repo.listDocuments(db, {
            tenantId,
            kind,
            status,
            companyId: customer ?? f.company_id,
            issuedOnly: customer !== undefined,
            billingEntityId,
            dateFrom: f.date_gte,
            dateTo: f.date_lte,
            updatedAfter: f.updated_after ? new Date(f.updated_after) : undefined,
            after,
            limit,
          });
        },
        key: (row) => ({ ts: row.updated_at, id: row.id }),
      });
      // One document at a time: each answer reads its lines, credits and e-invoice match.
      const items = [];
      for (const row of page.rows) items.push(await billing.output(tenantId, row));
      return { items, next_cursor: page.next_cursor };
    },
  };
}
