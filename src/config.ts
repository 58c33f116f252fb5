import os from 'node:os';
import path from 'node:path';

/**
 * Every setting Waybill reads from the environment, parsed once at boot.
 * The README's configuration table mirrors this list; keep them in step.
 */
/** How a tracked position estimates the next stop's ETA; the rule itself lives in the trips module. */
export interface EtaSettings {
  /** Road distance per straight-line kilometre (roads are rarely straight). */
  roadFactor: number;
  averageSpeedKmh: number;
  /** A new estimate closer than this to the stored ETA is not applied: no event per ping. */
  minChangeMinutes: number;
}

export interface Config {
  host: string;
  port: number;
  /** Where receivers reach this server: `download_url`s in pushes are made absolute with it. */
  publicBaseUrl: string;
  dataDir: string;
  /** Where document blobs are kept; `<dataDir>/blobs` unless WAYBILL_BLOB_DIR says otherwise. */
  blobDir: string;
  databaseUrl: string | undefined;
  logLevel: string;
  /** `pretty` (one readable line per entry) or `json` (JSON lines); by default pretty only when stdout is a terminal. */
  logFormat: 'json' | 'pretty';
  /** Bearer token `GET /metrics` asks for; unset leaves it open. */
  metricsToken: string | undefined;
  /** OTLP/HTTP collector base URL (`…/v1/traces` is appended); unset turns tracing off. */
  otlpEndpoint: string | undefined;
  /** Finished webhook deliveries and their attempts are deleted after this many days. */
  webhookRetentionDays: number;
  bodyLimitBytes: number;
  documentMaxBytes: number;
  /** Large uploads (e-invoices, documents) one client may have in flight at once; more get 429. */
  uploadsPerClient: number;
  /** Worker threads for CPU-heavy work on request input (XML e-invoices), off the request thread. */
  workerThreads: number;
  rateLimitPerMinute: number;
  tokenRateLimitPerMinute: number;
  tokenTtlSeconds: number;
  bootstrapClientId: string | undefined;
  bootstrapClientSecret: string | undefined;
  outboundAllowlist: string[];
  runWorkers: boolean;
  webhookTimeoutMs: number;
  webhookRetrySchedule: number[];
  webhookDisableAfterHours: number;
  webhookConcurrency: number;
  webhookEndpointConcurrency: number;
  webhookPollMs: number;
  /** How long a stopping server waits for requests and webhook deliveries in flight before it exits anyway. */
  shutdownGraceMs: number;
  /** AES-256 key (32 bytes) that seals webhook receivers' credentials at rest; unset keeps them as given. */
  credentialsKey: Buffer | undefined;
  /** The key before the last change: still opens what it sealed, until everything is sealed again. */
  credentialsKeyPrevious: Buffer | undefined;
  /** How a tracked position estimates the next stop's ETA (see modules/trips/eta-estimate.ts). */
  eta: EtaSettings;
  /** People's sign-in sessions and invite links (see modules/people). */
  people: PeopleSettings;
}

export interface PeopleSettings {
  /** A session unused this long ends. */
  sessionIdleSeconds: number;
  /** A session ends this long after sign-in, however busy. */
  sessionAbsoluteSeconds: number;
  /** How long an invite link works. */
  inviteTtlSeconds: number;
  /** Failed sign-ins one address may make per window before it gets 429. */
  signInFailuresPerAddress: number;
  /** Failed sign-ins for one account (email) per window before it gets 429, from any address. */
  signInFailuresPerAccount: number;
  /** The window those failures are counted in. */
  signInFailureWindowSeconds: number;
  /** Invite links may sign a person in without choosing a password (magic links). */
  magicLinks: boolean;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    throw new ConfigError(`${name} must be a whole number >= ${min}, got "${raw}"`);
  }
  return Number(raw);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function decimal(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) < min) throw new ConfigError(`${name} must be a number >= ${min}, got "${raw}"`);
  return Number(raw);
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A 32-byte key given in base64, or undefined when the variable is unset. */
function key(env: Env, name: string): Buffer | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length !== 32) throw new ConfigError(`${name} must be 32 random bytes in base64 (openssl rand -base64 32)`);
  return bytes;
}

/** Seconds between delivery attempts after the first one fails: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
const DEFAULT_RETRY_SCHEDULE = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];

/** An http(s) URL without a trailing slash, so paths can be appended to it. */
function baseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`WAYBILL_PUBLIC_BASE_URL must be an absolute http(s) URL, not "${value.slice(0, 100)}"`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash) {
    throw new ConfigError('WAYBILL_PUBLIC_BASE_URL must be an http(s) URL without query or fragment');
  }
  return url.toString().replace(/\/+$/, '');
}

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const bootstrapClientId = env.WAYBILL_BOOTSTRAP_CLIENT_ID || undefined;
  const bootstrapClientSecret = env.WAYBILL_BOOTSTRAP_CLIENT_SECRET || undefined;
  if (Boolean(bootstrapClientId) !== Boolean(bootstrapClientSecret)) {
    throw new ConfigError('Set both WAYBILL_BOOTSTRAP_CLIENT_ID and WAYBILL_BOOTSTRAP_CLIENT_SECRET, or neither');
  }
  if (bootstrapClientSecret && bootstrapClientSecret.length < 16) {
    throw new ConfigError('WAYBILL_BOOTSTRAP_CLIENT_SECRET must be at least 16 characters');
  }
  const schedule = list(env, 'WAYBILL_WEBHOOK_RETRY_SCHEDULE');
  if (schedule.some((s) => !/^\d+$/.test(s))) {
    throw new ConfigError('WAYBILL_WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of seconds');
  }
  const credentialsKey = key(env, 'WAYBILL_CREDENTIALS_KEY');
  const credentialsKeyPrevious = key(env, 'WAYBILL_CREDENTIALS_KEY_PREVIOUS');
  if (credentialsKeyPrevious && !credentialsKey) throw new ConfigError('WAYBILL_CREDENTIALS_KEY_PREVIOUS needs WAYBILL_CREDENTIALS_KEY');
  const dataDir = path.resolve(env.WAYBILL_DATA_DIR || './data');
  const logFormat = env.WAYBILL_LOG_FORMAT || (process.stdout.isTTY ? 'pretty' : 'json');
  if (logFormat !== 'json' && logFormat !== 'pretty') throw new ConfigError(`WAYBILL_LOG_FORMAT must be json or pretty, got "${logFormat}"`);
  const metricsToken = env.WAYBILL_METRICS_TOKEN || undefined;
  if (metricsToken && metricsToken.length < 16) throw new ConfigError('WAYBILL_METRICS_TOKEN must be at least 16 characters');
  const otlpEndpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
  if (otlpEndpoint && !/^https?:\/\//.test(otlpEndpoint)) throw new ConfigError('OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL');
  const host = env.HOST || '127.0.0.1';
  const port = int(env, 'PORT', 8080);
  return {
    host,
    port,
    publicBaseUrl: baseUrl(env.WAYBILL_PUBLIC_BASE_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`),
    dataDir,
    blobDir: env.WAYBILL_BLOB_DIR ? path.resolve(env.WAYBILL_BLOB_DIR) : path.join(dataDir, 'blobs'),
    databaseUrl,
    logLevel: env.WAYBILL_LOG_LEVEL || 'info',
    logFormat,
    metricsToken,
    otlpEndpoint,
    webhookRetentionDays: int(env, 'WAYBILL_WEBHOOK_RETENTION_DAYS', 30, 1),
    bodyLimitBytes: int(env, 'WAYBILL_BODY_LIMIT_BYTES', 1024 * 1024, 1024),
    documentMaxBytes: int(env, 'WAYBILL_DOCUMENT_MAX_BYTES', 25 * 1024 * 1024, 1),
    uploadsPerClient: int(env, 'WAYBILL_UPLOADS_PER_CLIENT', 2, 1),
    // One core stays with the event loop; a thread is what the busiest moment needs, a few at most.
    workerThreads: int(env, 'WAYBILL_WORKER_THREADS', Math.max(1, Math.min(4, os.availableParallelism() - 1)), 1),
    rateLimitPerMinute: int(env, 'WAYBILL_RATE_LIMIT_PER_MINUTE', 1200, 1),
    tokenRateLimitPerMinute: int(env, 'WAYBILL_TOKEN_RATE_LIMIT_PER_MINUTE', 30, 1),
    tokenTtlSeconds: int(env, 'WAYBILL_TOKEN_TTL_SECONDS', 3600, 60),
    bootstrapClientId,
    bootstrapClientSecret,
    outboundAllowlist: list(env, 'WAYBILL_OUTBOUND_ALLOWLIST'),
    runWorkers: bool(env, 'WAYBILL_WORKERS', true),
    webhookTimeoutMs: int(env, 'WAYBILL_WEBHOOK_TIMEOUT_MS', 15_000, 100),
    webhookRetrySchedule: schedule.length ? schedule.map(Number) : DEFAULT_RETRY_SCHEDULE,
    webhookDisableAfterHours: int(env, 'WAYBILL_WEBHOOK_DISABLE_AFTER_HOURS', 120, 1),
    webhookConcurrency: int(env, 'WAYBILL_WEBHOOK_CONCURRENCY', 64, 1),
    webhookEndpointConcurrency: int(env, 'WAYBILL_WEBHOOK_ENDPOINT_CONCURRENCY', 8, 1),
    webhookPollMs: int(env, 'WAYBILL_WEBHOOK_POLL_MS', 2_000, 50),
    shutdownGraceMs: int(env, 'WAYBILL_SHUTDOWN_GRACE_MS', 20_000),
    credentialsKey,
    credentialsKeyPrevious,
    eta: {
      roadFactor: decimal(env, 'WAYBILL_ETA_ROAD_FACTOR', 1.3, 1),
      averageSpeedKmh: int(env, 'WAYBILL_ETA_SPEED_KMH', 60, 1),
      minChangeMinutes: int(env, 'WAYBILL_ETA_MIN_CHANGE_MINUTES', 5),
    },
    people: {
      sessionIdleSeconds: int(env, 'WAYBILL_SESSION_IDLE_SECONDS', 2 * 3600, 1),
      sessionAbsoluteSeconds: int(env, 'WAYBILL_SESSION_ABSOLUTE_SECONDS', 12 * 3600, 1),
      inviteTtlSeconds: int(env, 'WAYBILL_INVITE_TTL_SECONDS', 7 * 24 * 3600, 60),
      signInFailuresPerAddress: int(env, 'WAYBILL_SIGN_IN_FAILURES_PER_ADDRESS', 20, 1),
      signInFailuresPerAccount: int(env, 'WAYBILL_SIGN_IN_FAILURES_PER_ACCOUNT', 10, 1),
      signInFailureWindowSeconds: int(env, 'WAYBILL_SIGN_IN_FAILURE_WINDOW_SECONDS', 15 * 60, 1),
      magicLinks: bool(env, 'WAYBILL_MAGIC_LINKS', false),
    },
  };
}
