import { randomUUID } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import { appendEvent } from '../../../platform/events/append.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { conflict, detail, notFound } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import * as repo from './templates.repo.js';
import type { OrderTemplate, OrderTemplateInput, OrderTemplateList } from './templates.schemas.js';

const nameTaken = (name: string) => conflict(`A template named "${name}" exists`, [detail('already used by another template', 'name')]);

/** A company keeps at most this many templates: the portal lists them all in one pick list. */
export const MAX_TEMPLATES = 500;

type TemplateRow = Awaited<ReturnType<typeof repo.findTemplate>> & {};

const output = (row: TemplateRow): OrderTemplate => ({
  id: row.id,
  name: row.name,
  order: row.body,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

export type OrderTemplates = ReturnType<typeof createOrderTemplates>;

/**
 * A customer's order templates: saved from the portal's booking form and booked again from it.
 * Each belongs to the caller's own company; another company's template is a 404 like a missing one.
 */
export function createOrderTemplates(deps: { db: Db; bus: EventBus }) {
  const { db, bus } = deps;

  /** The caller's company: templates exist only for a customer's people and clients (the route admits no one else). */
  function keyOf(principal: Principal): repo.TemplateKey {
    if (principal.role !== 'CUSTOMER' || !principal.companyId) throw notFound('Template');
    return { tenantId: principal.tenantId, companyId: principal.companyId };
  }

  async function assertNameFree(tx: Tx, key: repo.TemplateKey, name: string, id?: string) {
    const taken = await repo.findTemplateByName(tx.trx, key, name);
    if (taken && taken.id !== id) throw nameTaken(name);
  }

  const event = (key: repo.TemplateKey, type: 'order_template.saved' | 'order_template.deleted', id: string, name: string) => ({
    tenantId: key.tenantId,
    type,
    entityType: 'order_template',
    entityId: id,
    companyIds: [key.companyId],
    payload: { template_id: id, name },
  });

  return {
    async list(principal: Principal): Promise<OrderTemplateList> {
      return { items: (await repo.listTemplates(db, keyOf(principal), MAX_TEMPLATES)).map(output) };
    },

    async get(principal: Principal, id: string): Promise<OrderTemplate> {
      const row = await repo.findTemplate(db, keyOf(principal), id);
      if (!row) throw notFound('Template');
      return output(row);
    },

    async create(principal: Principal, input: OrderTemplateInput): Promise<OrderTemplate> {
      const key = keyOf(principal);
      const name = input.name.trim();
      return inTransaction(db, async (tx) => {
        await assertNameFree(tx, key, name);
        if ((await repo.countTemplates(tx.trx, key)) >= MAX_TEMPLATES) {
          throw conflict(`A company keeps at most ${MAX_TEMPLATES} templates: delete one first`, [detail('too many templates', 'name')]);
        }
        const row = await repo.insertTemplate(tx.trx, key, { id: randomUUID(), name, body: JSON.stringify(input.order), created_by: principal.apiClientId });
        if (!row) throw nameTaken(name);
        await appendEvent(tx, bus, event(key, 'order_template.saved', row.id, row.name));
        return output(row);
      });
    },

    async replace(principal: Principal, id: string, input: OrderTemplateInput): Promise<OrderTemplate> {
      const key = keyOf(principal);
      const name = input.name.trim();
      return inTransaction(db, async (tx) => {
        await assertNameFree(tx, key, name, id);
        const row = await repo.updateTemplate(tx.trx, key, id, { name, body: JSON.stringify(input.order) });
        if (!row) throw notFound('Template');
        await appendEvent(tx, bus, event(key, 'order_template.saved', row.id, row.name));
        return output(row);
      });
    },

    async remove(principal: Principal, id: string): Promise<void> {
      const key = keyOf(principal);
      await inTransaction(db, async (tx) => {
        const gone = await repo.deleteTemplate(tx.trx, key, id);
        if (!gone) throw notFound('Template');
        await appendEvent(tx, bus, event(key, 'order_template.deleted', id, gone.name));
      });
    },
  };
}
