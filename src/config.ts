import path from 'node:path';
import { z } from 'zod';

// The configuration and the defaults it names are the ground floor: every room reads them from
// here, and this file imports none of them.

const DEFAULT_RESPONSE_CACHE_SECONDS = 300;

/** LOG_LEVEL's values, pino's levels. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** POST /ingest's body limit, 1 GiB: about two million call lines. */
export const DEFAULT_INGEST_MAX_BYTES = 1 << 30;

/** Prefix of the Redis channels and of the export queue. */
export const DEFAULT_REDIS_NAMESPACE = 'autocall';

/** Which other sites' pages may call the gateway from a browser; the gateway's own pages always may. */
export interface CorsPolicy {
  /** Exact origins, e.g. `https://dashboard.example.com`. */
  origins: string[];
  /** Any port of localhost, 127.0.0.1 or [::1]: a frontend's development server. */
  localhost: boolean;
}

export const SAME_ORIGIN_ONLY: CorsPolicy = { origins: [], localhost: false };

export interface RateLimitOptions {
  /** Requests per window for one token; 0: no limit. */
  perToken: number;
  /** Requests per window for one tenant, all its tokens together; 0: no limit. */
  perTenant: number;
  /** The window; a minute unless a test wants a shorter one. */
  windowSeconds?: number;
}

/** Where export files live: a directory of this machine, or an S3-compatible bucket the fleet shares. */
export type ExportStorageConfig = { kind: 'local'; dir: string } | S3StorageConfig;

export interface S3StorageConfig {
  kind: 's3';
  bucket: string;
  /** Keys start with this: empty, or ending in "/". */
  prefix: string;
  region: string;
  /** Addressed by path (bucket in the path, not the host name): when AWS_ENDPOINT_URL names a server of one's own. */
  forcePathStyle: boolean;
}

/** Cost points a second and burst (bucket size) of a token's and a tenant's budgets; a rate of 0 turns one off. */
export interface CostBudgetConfig {
  token: { restoreRate: number; maximumAvailable: number };
  tenant: { restoreRate: number; maximumAvailable: number };
}

/** How report statements share the database between tenants. */
export interface FairShareConfig {
  /** Report statements one tenant may run at once (DATABASE_TENANT_CONNECTIONS). */
  perTenant: number;
  /** The same while another tenant is active too (DATABASE_TENANT_CONNECTIONS_CONTENDED). */
  contendedPerTenant: number;
  /** How long a report statement may wait for its turn before the operation is refused (DATABASE_QUEUE_TIMEOUT_MS, else DATABASE_TIMEOUT_MS). */
  maxWaitMs: number;
}

/**
 * What the gateway does with operations (see documents/trusted-documents.ts): off, ids are not
 * resolved; audit, raw text runs and unknown operations are counted and logged; allow, ids and raw
 * text both run; require, only ids (and raw text from tokens with autocall_explore).
 */
export const PERSISTED_DOCUMENT_MODES = ['off', 'audit', 'allow', 'require'] as const;
export type PersistedDocumentMode = (typeof PERSISTED_DOCUMENT_MODES)[number];

export interface TrustedDocumentsConfig {
  mode: PersistedDocumentMode;
  /** Automatic persisted queries: clients register a document's text under its hash (not in require mode). */
  apq: boolean;
}

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
    AUTH_JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    PUBLIC_URL: optionalString.pipe(z.url().optional()),
    DATA_DIR: z.string().default('./data'),
    REDIS_NAMESPACE: z.string().regex(/^[\w.-]{1,100}$/, 'letters, digits, "_", "." or "-" only').default(DEFAULT_REDIS_NAMESPACE),
    DATABASE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    DATABASE_READ_URL: optionalString.pipe(
      z
        .string()
        .transform((list) => list.split(',').map((url) => url.trim()).filter(Boolean))
        .pipe(z.array(z.url({ protocol: /^postgres(ql)?$/, error: (issue) => `"${String(issue.input)}" is not a postgresql:// URL` })))
        .optional(),
    ),
    DATABASE_READ_MAX_LAG_MS: z.coerce.number().int().min(0).max(60_000).default(100),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(3, 'must be at least 3 (two connections are kept for reads outside report turns)').max(1_000).default(10),
    INGEST_MAX_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_INGEST_MAX_BYTES),
    RESPONSE_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).optional(),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1_200),
    RATE_LIMIT_TENANT_PER_MINUTE: z.coerce.number().int().min(0).default(6_000),
    RATE_LIMIT_COST_PER_SECOND: z.coerce.number().min(0).default(100),
    RATE_LIMIT_COST_BURST: z.coerce.number().int().min(0).default(2_000),
    RATE_LIMIT_TENANT_COST_PER_SECOND: z.coerce.number().min(0).default(300),
    RATE_LIMIT_TENANT_COST_BURST: z.coerce.number().int().min(0).default(4_000),
    DATABASE_TENANT_CONNECTIONS: z.coerce.number().int().min(1).max(1_000).default(4),
    DATABASE_TENANT_CONNECTIONS_CONTENDED: z.coerce.number().int().min(1).max(1_000).default(1),
    DATABASE_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(10).max(600_000).optional(),
    EXPORT_STORAGE_URL: optionalString.pipe(
      z
        .url({ protocol: /^s3$/, error: 'must be s3://bucket or s3://bucket/prefix' })
        .refine((url) => /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(url), 'must be s3://bucket or s3://bucket/prefix, with a valid bucket name')
        .optional(),
    ),
    EXPORT_WORKERS: z.coerce.number().int().min(0).max(64).default(1),
    METRICS: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
    PERSISTED_DOCUMENTS: z.enum(PERSISTED_DOCUMENT_MODES, { error: `must be one of ${PERSISTED_DOCUMENT_MODES.join(', ')}` }).default('allow'),
    PERSISTED_DOCUMENTS_APQ: z.enum(['0', '1'], { error: 'must be 0 or 1' }).default('0'),
    // Read by the logger itself when it is loaded (logging/logger.ts); checked here, so a typo stops the start.
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    METRICS_PORT: z.preprocess((value) => (value === '' ? undefined : value), z.coerce.number().int().min(1).max(65535).optional()),
    AWS_REGION: optionalString,
    AWS_ENDPOINT_URL: optionalString.pipe(z.url().optional()),
    CORS_ORIGINS: optionalString.pipe(
      z
        .string()
        .transform((list) => list.split(',').map((origin) => origin.trim()).filter(Boolean))
        .pipe(z.array(z.string().refine(isOrigin, { error: (issue) => `"${String(issue.input)}" is not an origin like https://app.example.com` })))
        .optional(),
    ),
  })
  .refine((env) => !env.DATABASE_READ_URL || env.DATABASE_URL, {
    message: 'DATABASE_READ_URL names replicas of the primary that DATABASE_URL names: set both',
    path: ['DATABASE_READ_URL'],
  })
  .refine((env) => !env.DATABASE_URL || env.AUTH_JWT_SECRET, {
    message: 'AUTH_JWT_SECRET is required when DATABASE_URL is set',
    path: ['AUTH_JWT_SECRET'],
  });

/** Scheme, host and port only: what a browser sends as Origin. */
function isOrigin(value: string) {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol) && new URL(value).origin === value;
}

export interface Config {
  port: number;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Prefix of the Redis channels and the export queue: gateways of one database share it. */
  redisNamespace: string;
  /** Undefined only in embedded mode, where start generates a development secret. */
  jwtSecret: string | undefined;
  publicUrl: string;
  dataDir: string;
  /** PostgreSQL: how long connecting, waiting for a pooled connection, and one statement may take. */
  databaseTimeoutMs: number;
  /** DATABASE_READ_URL: streaming replicas that report reads go to, and how long a read waits for one to catch up (DATABASE_READ_MAX_LAG_MS). */
  readReplicas: { urls: string[]; maxLagMs: number } | undefined;
  /** PostgreSQL: connections of the pool reports and Prisma share (DATABASE_POOL_SIZE); a process opens up to 4 more (writer, probe, an export's cursor). */
  databasePoolSize: number;
  /** POST /ingest refuses larger bodies (413). */
  ingestMaxBytes: number;
  /** RESPONSE_CACHE_TTL_SECONDS: how long an answer may be reused while its data does not change; 0 turns the cache off. */
  responseCacheSeconds: number;
  /** RATE_LIMIT_PER_MINUTE and RATE_LIMIT_TENANT_PER_MINUTE; 0 turns a budget off. */
  rateLimits: RateLimitOptions;
  /** RATE_LIMIT_COST_PER_SECOND, RATE_LIMIT_COST_BURST and their tenant twins. */
  costBudgets: CostBudgetConfig;
  fairShare: FairShareConfig;
  /** EXPORT_STORAGE_URL's bucket, else DATA_DIR/exports. */
  exportStorage: ExportStorageConfig;
  /** EXPORT_WORKERS: export jobs this process runs at once; 0: it only queues them, for `npm run worker` processes to run. */
  exportWorkers: number;
  /** METRICS and METRICS_PORT: whether Prometheus metrics are kept, and where GET /metrics is answered (undefined: the gateway's own port). */
  metrics: { enabled: boolean; port: number | undefined };
  /** CORS_ORIGINS when set; otherwise localhost pages in embedded (development) mode, none with DATABASE_URL. */
  cors: CorsPolicy;
  /** PERSISTED_DOCUMENTS and PERSISTED_DOCUMENTS_APQ. */
  trustedDocuments: TrustedDocumentsConfig;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const { PORT, DATABASE_URL, REDIS_URL, AUTH_JWT_SECRET, PUBLIC_URL, DATA_DIR, DATABASE_TIMEOUT_MS, INGEST_MAX_BYTES, CORS_ORIGINS, REDIS_NAMESPACE } = parsed.data;
  const { RESPONSE_CACHE_TTL_SECONDS, RATE_LIMIT_PER_MINUTE, RATE_LIMIT_TENANT_PER_MINUTE } = parsed.data;
  const { RATE_LIMIT_COST_PER_SECOND, RATE_LIMIT_COST_BURST, RATE_LIMIT_TENANT_COST_PER_SECOND, RATE_LIMIT_TENANT_COST_BURST } = parsed.data;
  return {
    port: PORT,
    databaseUrl: DATABASE_URL,
    redisUrl: REDIS_URL,
    redisNamespace: REDIS_NAMESPACE,
    jwtSecret: AUTH_JWT_SECRET,
    publicUrl: (PUBLIC_URL ?? `http://localhost:${PORT}`).replace(/\/+$/, ''),
    dataDir: path.resolve(DATA_DIR),
    databaseTimeoutMs: DATABASE_TIMEOUT_MS,
    databasePoolSize: parsed.data.DATABASE_POOL_SIZE,
    readReplicas: parsed.data.DATABASE_READ_URL?.length ? { urls: parsed.data.DATABASE_READ_URL, maxLagMs: parsed.data.DATABASE_READ_MAX_LAG_MS } : undefined,
    ingestMaxBytes: INGEST_MAX_BYTES,
    // Off by default where an import can change the data without telling the gateways: PostgreSQL
    // without Redis (with the embedded database, imports go through the gateway).
    responseCacheSeconds: RESPONSE_CACHE_TTL_SECONDS ?? (DATABASE_URL && !REDIS_URL ? 0 : DEFAULT_RESPONSE_CACHE_SECONDS),
    rateLimits: { perToken: RATE_LIMIT_PER_MINUTE, perTenant: RATE_LIMIT_TENANT_PER_MINUTE },
    costBudgets: {
      token: { restoreRate: RATE_LIMIT_COST_PER_SECOND, maximumAvailable: RATE_LIMIT_COST_BURST },
      tenant: { restoreRate: RATE_LIMIT_TENANT_COST_PER_SECOND, maximumAvailable: RATE_LIMIT_TENANT_COST_BURST },
    },
    // A report waits for its turn as long as it used to wait for a pooled connection.
    fairShare: {
      perTenant: parsed.data.DATABASE_TENANT_CONNECTIONS,
      contendedPerTenant: Math.min(parsed.data.DATABASE_TENANT_CONNECTIONS_CONTENDED, parsed.data.DATABASE_TENANT_CONNECTIONS),
      maxWaitMs: parsed.data.DATABASE_QUEUE_TIMEOUT_MS ?? DATABASE_TIMEOUT_MS,
    },
    exportStorage: exportStorage(parsed.data.EXPORT_STORAGE_URL, path.resolve(DATA_DIR, 'exports'), parsed.data),
    exportWorkers: parsed.data.EXPORT_WORKERS,
    metrics: { enabled: parsed.data.METRICS === 'on', port: parsed.data.METRICS_PORT },
    cors: CORS_ORIGINS ? { origins: CORS_ORIGINS, localhost: false } : { origins: [], localhost: !DATABASE_URL },
    trustedDocuments: { mode: parsed.data.PERSISTED_DOCUMENTS, apq: parsed.data.PERSISTED_DOCUMENTS_APQ === '1' },
  };
}

/** Where export files live, by EXPORT_STORAGE_URL (and AWS_REGION, AWS_ENDPOINT_URL), else `localDir`. */
export function exportStorage(url: string | undefined, localDir: string, env: { AWS_REGION?: string; AWS_ENDPOINT_URL?: string }): ExportStorageConfig {
  if (!url) return { kind: 'local', dir: localDir };
  const { host: bucket, pathname } = new URL(url);
  const prefix = pathname.replace(/^\/+|\/+$/g, '');
  return {
    kind: 's3',
    bucket,
    prefix: prefix ? `${prefix}/` : '',
    // The SDK insists on a region; S3-compatible servers of one's own mostly ignore it.
    region: env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: env.AWS_ENDPOINT_URL !== undefined,
  };
}
