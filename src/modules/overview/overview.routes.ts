import { principalOf } from '../../platform/http/auth.js';
import { readErrors } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import { overviewExample } from './overview.examples.js';
import { Overview, OverviewQuery } from './overview.schemas.js';
import type { OverviewService } from './overview.service.js';

export function overviewRoutes(app: App, deps: { overview: OverviewService }) {
  app.get('/v1/overview', {
    config: { roles: ['TENANT'] },
    schema: {
      operationId: 'getOverview',
      tags: ['Overview'],
      summary: 'What needs attention now (Waybill)',
      description:
        "Today's orders by status, trips under way, failed webhook messages, disabled endpoints, failed accounting sync tasks and open " +
        'unmatched status updates. Each figure names the list operation and the query that shows the rows behind it (`list.href`). ' +
        "Pass the operator's `date`: the server does not know the tenant's time zone. Tenant clients only.",
      querystring: OverviewQuery,
      response: { 200: ref(Overview, { example: overviewExample, description: 'The figures and their lists' }), ...readErrors() },
    },
    handler: async (request) => deps.overview.overview(principalOf(request), request.query),
  });
}
