import type { CompaniesService } from '../companies/index.js';
import type { OrdersService } from '../orders/index.js';
import type { Db } from '../../platform/db/database.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { App } from '../../platform/http/types.js';
import type { BlobStore } from '../../platform/storage/blob-store.js';
import type { WorkerPool } from '../../platform/workers/pool.js';
import { billingRoutes } from './accounting.routes.js';
import { referenceRoutes } from './reference/reference.routes.js';
import { referenceSchemas } from './reference/reference.schemas.js';
import { createReferenceService } from './reference/reference.service.js';
import { referencedBlobs } from './documents/documents.repo.js';
import { billingSchemas } from './documents/documents.schemas.js';
import { createBillingService } from './documents/documents.service.js';
import { chargesRoutes } from './charges/charges.routes.js';
import { chargeSchemas } from './charges/charges.schemas.js';
import { createChargesService } from './charges/charges.service.js';
import { createInvoicingService } from './sales/invoicing.service.js';
import { createEInvoiceService } from './purchase/einvoice.service.js';
import { fromXmlTask } from './purchase/einvoice.parse.js';
import { purchaseDocumentOutput } from './purchase/purchase.output.js';
import { purchaseRoutes } from './purchase/purchase.routes.js';
import { purchaseSchemas } from './purchase/purchase.schemas.js';
import { assertMatched, createPurchaseService, type TripsForBilling } from './purchase/purchase.service.js';
import { tasksRoutes } from './sync/sync.routes.js';
import { taskSchemas } from './sync/sync.schemas.js';
import { createTasksService, queuePostTask } from './sync/sync.service.js';
import { listsRoutes } from './lists/lists.routes.js';
import { listSchemas } from './lists/lists.schemas.js';
import { createListsService } from './lists/lists.service.js';

/**
 * The accounting module wired once: its services, the schemas it registers and its routes. The
 * documents core gets what purchase and the sync queue add as hooks, so it imports neither.
 * `blobs` and `maxBytes`: where files received with e-invoices are kept, and how large one may be (the documents module's limit).
 * `workers`: the threads XML e-invoices are parsed in, so a large one never holds the request thread.
 */
export function createAccounting(deps: {
  db: Db;
  bus: EventBus;
  orders: OrdersService;
  companies: CompaniesService;
  trips: TripsForBilling;
  blobs: BlobStore;
  workers: WorkerPool;
  maxBytes: number;
}) {
  const reference = createReferenceService({ db: deps.db });
  const charges = createChargesService({ ...deps, reference });
  const billing = createBillingService({ ...deps, hooks: { purchaseOutput: purchaseDocumentOutput, assertMatched, queuePostTask } });
  const invoicing = createInvoicingService({ ...deps, reference, billing });
  const tasks = createTasksService({ ...deps, billing, reference });
  const purchase = createPurchaseService({ ...deps, reference, billing, invoicing });
  const einvoices = createEInvoiceService({ ...deps, reference, invoicing });
  const lists = createListsService({ ...deps, billing, reference });
  return {
    reference,
    charges,
    billing,
    invoicing,
    tasks,
    purchase,
    einvoices,
    /** A received XML e-invoice, parsed in a worker thread. */
    readXml: (xml: string) => deps.workers.run(fromXmlTask, xml),
    lists,
    /** The blob sweep asks which blobs accounting files (issued PDFs and UBL, files received with e-invoices) still hold (documents' registerBlobReferences). */
    referencedBlobs: (sha256s: string[]) => referencedBlobs(deps.db, sha256s),
  };
}

export type Accounting = ReturnType<typeof createAccounting>;

export const accountingSchemas = [...referenceSchemas, ...chargeSchemas, ...billingSchemas, ...purchaseSchemas, ...taskSchemas, ...listSchemas];

export function accountingRoutes(app: App, accounting: Accounting, config: { bodyLimitBytes: number; documentMaxBytes: number }) {
  referenceRoutes(app, accounting);
  chargesRoutes(app, accounting);
  billingRoutes(app, accounting);
  purchaseRoutes(app, { ...accounting, bodyLimit: config.bodyLimitBytes, maxBytes: config.documentMaxBytes });
  tasksRoutes(app, accounting);
  listsRoutes(app, accounting);
}
