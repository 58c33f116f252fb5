import { principalOf } from '../../../platform/http/auth.js';
import { readErrors } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import { savedLocationsExample } from './locations.examples.js';
import { SavedLocationList, SavedLocationQuery } from './locations.schemas.js';
import type { SavedLocations } from './locations.service.js';

export function locationsRoutes(app: App, deps: { locations: SavedLocations }) {
  const { locations } = deps;

  app.get('/v1/orders/locations', {
    // A subcontractor carries other companies' goods: their places are not its to list.
    config: { roles: ['TENANT', 'CUSTOMER'] },
    schema: {
      operationId: 'listSavedLocations',
      tags: ['Orders'],
      summary: "List a customer's saved locations (Waybill)",
      description:
        'The distinct places (name, address, postal code, town, country) used by the stops of a customer company’s orders and order templates, ' +
        'most used first, to fill a stop from (the portal’s booking form). Search with `q`; page with `next_cursor`. A CUSTOMER sees only its ' +
        'own company’s; a TENANT names the customer with `customer_code` (code or id).',
      querystring: SavedLocationQuery,
      response: { 200: ref(SavedLocationList, { example: savedLocationsExample, description: 'One page of saved locations' }), ...readErrors() },
    },
    handler: async (request) => locations.list(principalOf(request), request.query),
  });
}
