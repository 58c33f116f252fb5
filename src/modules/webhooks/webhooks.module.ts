import type { Config } from '../../config.js';
import type { DatabaseHandle } from '../../platform/db/connect.js';
import type { EventBus } from '../../platform/events/bus.js';
import { CredentialBox } from '../../platform/crypto/credential-box.js';
import { AddressPolicy } from '../../platform/net/address-policy.js';
import { GuardedHttpClient } from '../../platform/net/guarded-http.js';
import { payloadBuilders, type AnswerHandler, type EndpointView, type PayloadFamily, type VisibilitySources } from './payloads/payloads.output.js';
import type { DeliveryObserver } from './deliveries/deliveries.worker.js';
import { pruneDeliveryLog, startWebhookEngine, type WebhookEngine } from './webhooks.worker.js';
import { createWebhooksService, type WebhooksService } from './endpoints/endpoints.service.js';
import { endpointRoutes } from './endpoints/endpoints.routes.js';
import { deliveryRoutes } from './deliveries/deliveries.routes.js';
import type { App } from '../../platform/http/types.js';

/**
 * Events per fan-out transaction. PostgreSQL does the SQL in its own processes, so small batches
 * keep each stretch of payload building short and the API's event loop (which the engine shares)
 * responsive while a backlog drains. PGlite runs every statement in this thread at a fixed cost
 * each, so it drains faster, and the API waits less, with fewer and larger batches.
 * (Measured in docs/benchmarks.md.)
 */
const POSTGRES_FAN_OUT_BATCH = 100;
const PGLITE_FAN_OUT_BATCH = 500;

/** The module that sent dispatch messages and records the receivers' answers to them. */
export interface DispatchAnswers {
  recordDispatchAnswer: AnswerHandler;
}

/** Both dispatch families' answers go to the sender of dispatch messages. */
function dispatchAnswers(dispatch: DispatchAnswers | undefined): Partial<Record<PayloadFamily, AnswerHandler>> {
  if (!dispatch) return {};
  const record: AnswerHandler = (answer) => dispatch.recordDispatchAnswer(answer);
  return { subcontractor_dispatch: record, fleet_dispatch: record };
}

/**
 * Everything webhooks need, wired once: the API-facing service, and `startEngine` for the
 * background workers (started by the server when WAYBILL_WORKERS is on, and by tests directly).
 */
export function createWebhooks(deps: {
  config: Config;
  database: DatabaseHandle;
  bus: EventBus;
  companies: { findCompanyId(tenantId: string, idOrCode: string): Promise<string | undefined>; payloadViewFor?: EndpointView };
  visibility?: Partial<VisibilitySources>;
  /** Records executors' answers to dispatch messages (the trips service is one). */
  dispatch?: DispatchAnswers;
}) {
  const { config, database, bus } = deps;
  const policy = new AddressPolicy(config.outboundAllowlist);
  const builders = payloadBuilders(deps.visibility ?? {}, { viewFor: deps.companies.payloadViewFor, publicBaseUrl: config.publicBaseUrl });
  const box = new CredentialBox(config.credentialsKey, config.credentialsKeyPrevious);
  const service = createWebhooksService({ db: database.db, bus, policy, builders, companies: deps.companies, box });

  function startEngine(onError: (err: unknown) => void, observer?: DeliveryObserver): WebhookEngine {
    const http = new GuardedHttpClient({ policy, timeoutMs: config.webhookTimeoutMs, connectionsPerOrigin: config.webhookEndpointConcurrency });
    const engine = startWebhookEngine({
      db: database.db,
      bus,
      databaseUrl: database.engine === 'postgres' ? database.databaseUrl : undefined,
      fanOutBatch: database.engine === 'postgres' ? POSTGRES_FAN_OUT_BATCH : PGLITE_FAN_OUT_BATCH,
      http,
      box,
      builders,
      retrySchedule: config.webhookRetrySchedule,
      timeoutMs: config.webhookTimeoutMs,
      disableAfterHours: config.webhookDisableAfterHours,
      concurrency: config.webhookConcurrency,
      perEndpoint: config.webhookEndpointConcurrency,
      pollMs: config.webhookPollMs,
      onError,
      observer,
      answers: dispatchAnswers(deps.dispatch),
    });
    const unsubscribe = service.onQueued(() => engine.wakeDeliveries());
    return {
      wakeDeliveries: engine.wakeDeliveries,
      async stop() {
        unsubscribe();
        await engine.stop();
        await http.close();
      },
    };
  }

  return { ...service, startEngine, pruneDeliveryLog: (days: number) => pruneDeliveryLog(database.db, days) };
}

/** Every webhook admin route: the endpoints, then the messages sent to them. */
export function webhooksRoutes(app: App, deps: { webhooks: WebhooksService }): void {
  endpointRoutes(app, deps);
  deliveryRoutes(app, deps);
}
