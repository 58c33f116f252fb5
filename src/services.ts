import type { Config } from './config.js';
import type { DatabaseHandle } from './platform/db/connect.js';
import type { EventBus } from './platform/events/bus.js';
import { relayCommits } from './platform/events/relay.js';
import type { Authenticator } from './platform/http/principal.js';
import { createFileBlobStore } from './platform/storage/file-blob-store.js';
import { createWorkerPool } from './platform/workers/pool.js';
import { createAccessServices } from './access-services.js';
import { resourcesModule } from './modules/resources/index.js';
import { documentsModule, type OrderLookup } from './modules/documents/index.js';
import { createEvents } from './modules/events/index.js';
import { overviewModule } from './modules/overview/index.js';
import { createWebhooks } from './modules/webhooks/index.js';
import { ordersModule } from './modules/orders/index.js';
import { tripsModule } from './modules/trips/index.js';
import { trackingModule } from './modules/tracking/index.js';
import { createAccounting } from './modules/accounting/index.js';

/**
 * Builds every module's service once, wiring each to the services it uses. Modules talk to each
 * other only through these objects, never through each other's tables.
 */
export async function createServices(deps: { config: Config; database: DatabaseHandle; bus: EventBus }) {
  const { config, bus } = deps;
  const db = deps.database.db;
  // Other processes on the same PostgreSQL learn of this one's events (PGlite has no other process).
  if (deps.database.engine === 'postgres') relayCommits(bus, db);
  const { box, companiesMod, companies, auth, people } = await createAccessServices({ config, db, bus });
  // Documents and the files received with e-invoices share one blob store, so one sweep sees every reference.
  const blobs = createFileBlobStore(config.blobDir);
  // Orders attach documents, so documents are built first and reach orders only once both exist.
  const orderLookup: OrderLookup = {
    findVisibleOrder: (principal, orderId) => orders.findVisibleOrder(principal, orderId),
    matchOrder: (principal, by) => orders.matchOrder(principal, by),
  };
  const documentsMod = documentsModule({ db, bus, blobs, maxBytes: config.documentMaxBytes, orders: orderLookup });
  const { documents, orderDocuments } = documentsMod;
  const resourcesMod = resourcesModule({ db, bus, companies, documents });
  const { resources, unavailability, validities, companyDocuments } = resourcesMod;
  // CPU-heavy work on request input runs here, off the request thread (threads start on first use).
  const workers = createWorkerPool({ size: config.workerThreads });
  const ordersMod = ordersModule({ db, bus, companies, documents, publicBaseUrl: config.publicBaseUrl, workers });
  const { orders } = ordersMod;
  // A document's event carries its order's snapshot.
  documents.useOrderSnapshots(orders);
  const tripsMod = tripsModule({
    db,
    bus,
    orders,
    companies,
    resources,
    documents,
    eta: config.eta,
    maxBytes: config.documentMaxBytes,
    publicBaseUrl: config.publicBaseUrl,
  });
  const { trips } = tripsMod;
  // Sessions (people) and drivers' one-trip links (trips) join the auth module's Bearer and Basic checks.
  const authenticator: Authenticator = {
    ...auth.authenticator,
    verifySession: (token) => people.sessions.verify(token),
    verifyDriver: (token) => tripsMod.drivers.verify(token),
  };
  const trackingMod = trackingModule({ db, resources, trips });
  const { tracking } = trackingMod;
  const events = createEvents({
    db,
    bus,
    databaseUrl: config.databaseUrl,
    perClient: config.eventStreamsPerClient,
    heartbeatMs: config.eventStreamHeartbeatSeconds * 1000,
  });
  const accounting = createAccounting({ db, bus, orders, companies, trips, blobs, workers, maxBytes: config.documentMaxBytes });
  // The sweep keeps the blobs of files received with e-invoices too.
  documents.registerBlobReferences(accounting.referencedBlobs);
  const webhooks = createWebhooks({
    config,
    database: deps.database,
    bus,
    companies,
    visibility: orders,
    dispatch: trips,
  });
  const overviewMod = overviewModule({ orders, trips, webhooks, syncTasks: accounting.tasks });
  // Each module's schemas and routes, registered by app.ts in this order (it is openapi.json's order).
  const modules = {
    companies: companiesMod,
    resources: resourcesMod,
    documents: documentsMod,
    orders: ordersMod,
    trips: tripsMod,
    tracking: trackingMod,
    overview: overviewMod,
  };
  return {
    config,
    database: deps.database,
    db,
    bus,
    box,
    workers,
    auth,
    authenticator,
    people,
    companies,
    resources,
    unavailability,
    validities,
    orders,
    trips,
    tracking,
    events,
    webhooks,
    documents,
    orderDocuments,
    companyDocuments,
    accounting,
    modules,
  };
}

export type Services = Awaited<ReturnType<typeof createServices>>;
