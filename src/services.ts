import type { Config } from './config.js';
import { CredentialBox } from './platform/crypto/credential-box.js';
import type { DatabaseHandle } from './platform/db/connect.js';
import type { EventBus } from './platform/events/bus.js';
import { createFileBlobStore } from './platform/storage/file-blob-store.js';
import { createAuth } from './modules/auth/index.js';
import { createCompaniesService } from './modules/companies/index.js';
import { createCompanyDocumentsService, createResourcesService, createUnavailabilityService, createValiditiesService } from './modules/resources/index.js';
import { createDocumentsService, createOrderDocumentsService } from './modules/documents/index.js';
import { createEvents } from './modules/events/index.js';
import { createWebhooks } from './modules/webhooks/index.js';
import { createOrdersService } from './modules/orders/index.js';
import { createTripsService } from './modules/trips/index.js';
import { createTrackingService } from './modules/tracking/index.js';
import { createAccounting } from './modules/accounting/index.js';

/**
 * Builds every module's service once, wiring each to the services it uses. Modules talk to each
 * other only through these objects, never through each other's tables.
 */
export async function createServices(deps: { config: Config; database: DatabaseHandle; bus: EventBus }) {
  const { config, bus } = deps;
  const db = deps.database.db;
  // Seals the server secrets at rest with WAYBILL_CREDENTIALS_KEY, as the webhooks module does receivers' credentials.
  const box = new CredentialBox(config.credentialsKey, config.credentialsKeyPrevious);
  const companies = createCompaniesService({ db, bus });
  const resources = createResourcesService({ db, bus, companies });
  const unavailability = createUnavailabilityService({ db, bus, resources });
  const auth = await createAuth({ db, bus, tokenTtlSeconds: config.tokenTtlSeconds, companies, box });
  // Documents and the files received with e-invoices share one blob store, so one sweep sees every reference.
  const blobs = createFileBlobStore(config.blobDir);
  const documents = createDocumentsService({ db, bus, blobs, maxBytes: config.documentMaxBytes });
  const validities = createValiditiesService({ db, bus, resources, companies, unavailability, documents });
  const companyDocuments = createCompanyDocumentsService({ db, documents, validities });
  const orders = createOrdersService({ db, bus, companies, documents });
  // A document's event carries its order's snapshot; orders attach documents, so they plug in after.
  documents.useOrderSnapshots(orders);
  const orderDocuments = createOrderDocumentsService({ documents, orders });
  const trips = createTripsService({ db, bus, orders, companies, resources, documents, eta: config.eta });
  const tracking = createTrackingService({ db, resources, trips });
  const events = createEvents({ db });
  const accounting = createAccounting({ db, bus, orders, companies, trips, blobs, maxBytes: config.documentMaxBytes });
  const webhooks = createWebhooks({
    config,
    database: deps.database,
    bus,
    companies,
    visibility: orders,
    dispatch: trips,
  });
  return { config, database: deps.database, db, bus, box, auth, companies, resources, unavailability, validities, orders, trips, tracking, events, webhooks, documents, orderDocuments, companyDocuments, accounting };
}

export type Services = Awaited<ReturnType<typeof createServices>>;
