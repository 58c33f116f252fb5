/**
 * Accounting: tax rates, accounts, billing entities, charges, sales and purchase invoices and credit notes, e-invoicing, sync tasks.
 * The only way into this module: other modules, app.ts and services.ts import from here.
 */
export { accountingRoutes, accountingSchemas, createAccounting } from './accounting.module.js';
export type { Accounting } from './accounting.module.js';
/** The XML e-invoice reader itself, for the benchmark's parse-only figure (the app runs it in a worker thread). */
export { fromXml } from './purchase/einvoice.parse.js';
export type { TripsForBilling } from './purchase/purchase.service.js';
export { accountingEvents } from './accounting.events.js';
export { observeSyncTasks } from './sync/sync.metrics.js';
