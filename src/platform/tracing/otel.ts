import { FastifyOtelInstrumentation } from '@fastify/otel';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { FastifyPluginCallback } from 'fastify';
import { installSpanRunner } from './spans.js';

export interface Tracing {
  /** Registers request spans (one per request, named by route pattern) on a Fastify app. */
  plugin: FastifyPluginCallback;
  /** Sends the spans still buffered. */
  flush(): Promise<void>;
}

let started: Tracing | undefined;

/**
 * Loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set. One tracer provider per process,
 * registered globally (OpenTelemetry's context propagation is global), exporting in batches over
 * OTLP/HTTP. Request spans come from @fastify/otel; transactions and webhook deliveries use
 * `inSpan` (spans.ts), which becomes a real span from here on.
 */
export function startTracing(endpoint: string, serviceName = 'waybill'): Tracing {
  if (started) return started;
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    // OTEL_SERVICE_NAME, when set, names the service instead (several deployments, one collector).
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME || serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  const tracer = trace.getTracer(serviceName);
  installSpanRunner((name, attributes, work) =>
    tracer.startActiveSpan(name, { attributes }, async (span) => {
      try {
        return await work((key, value) => span.setAttribute(key, value));
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : 'error' });
        throw err;
      } finally {
        span.end();
      }
    }),
  );
  const instrumentation = new FastifyOtelInstrumentation();
  instrumentation.setTracerProvider(provider);
  started = { plugin: instrumentation.plugin() as FastifyPluginCallback, flush: () => provider.forceFlush() };
  return started;
}
