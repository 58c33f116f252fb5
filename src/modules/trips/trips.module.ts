import type { App } from '../../platform/http/types.js';
import { tripImportSchemas } from './inbound/inbound.schemas.js';
import { tripsRoutes } from './trips.routes.js';
import { tripsSchemas } from './trips.schemas.js';
import { createTripsService, type TripsDeps } from './trips.service.js';
import { tripStatusSchemas } from './status/status.schemas.js';
import { tripWebhookRoutes } from './inbound/inbound.routes.js';
import { bookingRoutes } from './bookings/bookings.routes.js';
import { tripBookingSchemas } from './bookings/bookings.schemas.js';
import { createDriverLinks } from './drivers/drivers.service.js';
import { driverRoutes } from './drivers/drivers.routes.js';
import { driverSchemas } from './drivers/drivers.schemas.js';

/**
 * The trips module wired once: its service, the schemas it registers, and its routes (planning and
 * dispatch, and the inbound webhooks: status updates and trip imports) and drivers' one-trip links. `maxBytes` bounds a file
 * sent with a status update (the documents module's limit).
 */
export function tripsModule(deps: TripsDeps & { maxBytes: number; publicBaseUrl: string }) {
  const trips = createTripsService(deps);
  const drivers = createDriverLinks({ db: deps.db, bus: deps.bus, view: trips.view, publicBaseUrl: deps.publicBaseUrl });
  const config = { documentMaxBytes: deps.maxBytes };
  return {
    trips,
    drivers,
    schemas: [...tripsSchemas, ...tripStatusSchemas, ...tripImportSchemas, ...tripBookingSchemas, ...driverSchemas],
    async routes(app: App) {
      tripsRoutes(app, { trips });
      await tripWebhookRoutes(app, { trips, config });
      bookingRoutes(app, { trips });
      driverRoutes(app, { drivers });
    },
  };
}
