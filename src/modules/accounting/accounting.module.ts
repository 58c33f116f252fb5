import type { CompaniesService } from '../companies/index.js';
import type { OrdersService } from '../orders/index.js';
import type { Db } from '../../platform/db/database.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { App } from '../../platform/http/types.js';
import type { BlobStore } from '../../platform/storage/blob-store.js';
import { billingRoutes } from './billing.routes.js';
import { billingSchemas } from './billing.schemas.js';
import { createBillingService } from './billing.service.js';
import { createInvoicingService } from './invoicing.service.js';
import { createEInvoiceService } from './einvoice.service.js';
import { purchaseRoutes } from './purchase.routes.js';
import { purchaseSchemas } from './purchase.schemas.js';
import { purchaseDocumentOutput } from './purchase.output.js';
import { assertMatched, createPurchaseService, type TripsForBilling } from './purchase.service.js';
import { chargesRoutes } from './charges.routes.js';
import { chargeSchemas } from './charges.schemas.js';
import { createChargesService } from './charges.service.js';
import { tasksRoutes } from './tasks.routes.js';
import { taskSchemas } from './tasks.schemas.js';
import { createTasksService, queuePostTask } from './tasks.service.js';
import { referenceRoutes } from './reference.routes.js';
import { referenceSchemas } from './reference.schemas.js';
import { createReferenceService } from './reference.service.js';
import { referencedBlobs } from './billing.repo.js';

/** The accounting module wired once: its services, the schemas it registers and its routes. */
/** `blobs` and `maxBytes`: where files received with e-invoices are kept, and how large one may be (the documents module's limit). */
export function createAccounting(deps: { db: Db; bus: EventBus; orders: OrdersService; companies: CompaniesService; trips: TripsForBilling; blobs: BlobStore; maxBytes: number }) {
  const reference = createReferenceService({ db: deps.db });
  const charges = createChargesService({ ...deps, reference });
  const billing = createBillingService({ ...deps, hooks: { purchaseOutput: purchaseDocumentOutput, assertMatched, queuePostTask } });
  const invoicing = createInvoicingService({ ...deps, reference, billing });
  const tasks = createTasksService({ ...deps, billing, reference });
  const purchase = createPurchaseService({ ...deps, reference, billing, invoicing });
  const einvoices = createEInvoiceService({ ...deps, reference, invoicing });
  return {
    reference,
    charges,
    billing,
    invoicing,
    tasks,
    purchase,
    einvoices,
    /** The blob sweep asks which blobs files received with e-invoices still hold (documents' registerBlobReferences). */
    referencedBlobs: (sha256s: string[]) => referencedBlobs(deps.db, sha256s),
  };
}

export type Accounting = ReturnType<typeof createAccounting>;

export const accountingSchemas = [...referenceSchemas, ...chargeSchemas, ...billingSchemas, ...purchaseSchemas, ...taskSchemas];

export function accountingRoutes(app: App, accounting: Accounting, config: { bodyLimitBytes: number; documentMaxBytes: number }) {
  referenceRoutes(app, accounting);
  chargesRoutes(app, accounting);
  billingRoutes(app, accounting);
  purchaseRoutes(app, { ...accounting, bodyLimit: config.bodyLimitBytes, maxBytes: config.documentMaxBytes });
  tasksRoutes(app, accounting);
}
