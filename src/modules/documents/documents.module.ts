import type { Db } from '../../platform/db/database.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { App } from '../../platform/http/types.js';
import type { BlobStore } from '../../platform/storage/blob-store.js';
import { documentsRoutes, orderDocumentsRoutes } from './documents.routes.js';
import { documentSchemas } from './documents.schemas.js';
import { createDocumentsService } from './documents.service.js';
import { createOrderDocumentsService, type OrderLookup } from './order-documents/order-documents.service.js';

/**
 * The documents module wired once: uploads and downloads, and the documents of orders.
 * `orders` reaches the orders module, which is built after this one (orders attach documents):
 * it is called only once both exist; the order snapshots plug in with `documents.useOrderSnapshots`.
 */
export function documentsModule(deps: { db: Db; bus: EventBus; blobs: BlobStore; maxBytes: number; orders: OrderLookup }) {
  const documents = createDocumentsService(deps);
  const orderDocuments = createOrderDocumentsService({ documents, orders: deps.orders });
  const config = { documentMaxBytes: deps.maxBytes };
  return {
    documents,
    orderDocuments,
    schemas: documentSchemas,
    async routes(app: App) {
      await documentsRoutes(app, { documents, config });
      await orderDocumentsRoutes(app, { orderDocuments, config });
    },
  };
}
