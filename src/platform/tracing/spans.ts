/**
 * The seam between Waybill's code and OpenTelemetry. Without OTEL_EXPORTER_OTLP_ENDPOINT nothing
 * installs a runner, `inSpan` is a plain call, and no OpenTelemetry code is ever loaded (see
 * otel.ts, imported lazily). Attributes hold ids and codes, never secrets or bodies.
 */
export type SetAttribute = (name: string, value: string | number) => void;
export type SpanRunner = <T>(name: string, attributes: Record<string, string | number>, work: (set: SetAttribute) => Promise<T>) => Promise<T>;

let runner: SpanRunner | undefined;

const ignore: SetAttribute = () => {};

export function installSpanRunner(next: SpanRunner | undefined): void {
  runner = next;
}

/** Runs `work` inside a span (a child of the current one, e.g. the request's) when tracing is on. */
export function inSpan<T>(name: string, attributes: Record<string, string | number>, work: (set: SetAttribute) => Promise<T>): Promise<T> {
  return runner ? runner(name, attributes, work) : work(ignore);
}
