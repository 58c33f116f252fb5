import { observeSyncTasks } from './modules/accounting/index.js';
import { observeUnmatchedStatusUpdates } from './modules/trips/index.js';
import { observeWebhookBacklog } from './modules/webhooks/index.js';
import { createMetricsRegistry, observeDatabasePool, observeRequestDurations, observeWorkerPool, registerMetricsRoute } from './platform/http/metrics.js';
import type { App } from './platform/http/types.js';
import type { Services } from './services.js';

/**
 * Metrics and tracing for one app, registered before any route so every route is observed.
 * The registry is kept on the app (`app.metrics`), where the server adds the webhook workers'
 * counters. Tracing's libraries load only when an OTLP endpoint is configured.
 */
export async function registerObservability(app: App, services: Services): Promise<void> {
  const { config } = services;
  if (config.otlpEndpoint) {
    const { startTracing } = await import('./platform/tracing/otel.js');
    const tracing = startTracing(config.otlpEndpoint);
    await app.register(tracing.plugin);
    app.addHook('onClose', async () => tracing.flush());
  }
  const registry = createMetricsRegistry();
  app.decorate('metrics', registry);
  observeRequestDurations(app, registry);
  observeDatabasePool(registry, services.database);
  observeWorkerPool(registry, services.workers);
  observeWebhookBacklog(registry, services.db);
  observeUnmatchedStatusUpdates(registry, services.db);
  observeSyncTasks(registry, services.db);
}

/** `GET /metrics`, registered with the probes (after the error handler, like every route). */
export function registerMetricsEndpoint(app: App, services: Services): void {
  registerMetricsRoute(app, app.metrics, services.config.metricsToken);
}
