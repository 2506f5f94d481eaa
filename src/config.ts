/**
 * Configuration comes from environment variables only (documented in the README).
 * Every value has a safe default so that `npm start` works on a fresh machine.
 */
export interface Config {
  port: number;
  host: string;
  /** `postgres://…` selects PostgreSQL; anything else is a SQLite file path (or `:memory:`). */
  databaseUrl: string;
  /** PostgreSQL connections per process: more connections let more commits share one WAL flush. */
  databasePoolSize: number;
  /** Set when the platform runs for real: no demo data, no demo credentials are ever created implicitly. */
  production: boolean;
  redisUrl: string | null;
  rateLimit: { max: number; windowSeconds: number };
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  passwordResetTtlSeconds: number;
  /** How long a resolved access token or sales channel is reused in-process (0 = never). */
  authCacheSeconds: number;
  /** How long places stay held in a cart (and an order awaits payment). */
  holdTtlSeconds: number;
  corsMaxAgeSeconds: number;
  logLevel: string;
  /** Where export jobs write their CSV files (created when missing). */
  exportDir: string;
  /** How often a server process looks for queued jobs created elsewhere (0 = only when asked in-process). */
  jobPollSeconds: number;
  /** Server processes sharing the port (`serve`): 1 serves from the main process itself. */
  workers: number;
  /** Whether HOST was set: without it a server listens on 127.0.0.1 only. */
  hostSet: boolean;
  /**
   * Which proxies' `X-Forwarded-For/-Host/-Proto` are believed (Fastify's `trustProxy`): false (none,
   * the default), true (any: only behind a proxy that overwrites them), a hop count, or addresses/CIDRs.
   */
  trustProxy: boolean | number | string[];
  /** Origins whose pages may call the APIs from a browser (CORS); empty: the server's own origin only. */
  corsOrigins: string[];
  /** Key that encrypts secrets stored at rest (QR-signing private keys): 32 bytes, hex or base64. Null: generated into the data folder (embedded) or refused (production). */
  secretKey: string | null;
  /** Lifetime of a Weezevent access token (0: never expires). */
  weezeventTokenTtlSeconds: number;
  /** Brute-force limits on every password, key and code check (per account and per client address). */
  credentialThrottle: { maxFailures: number; maxFailuresPerIp: number; windowSeconds: number; maxLockSeconds: number };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || './data/guichet.sqlite';
  return {
    port: int(env.PORT, 3000),
    // A server reachable from other machines is a deliberate choice (HOST=0.0.0.0), not a default.
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    databasePoolSize: int(env.DATABASE_POOL_SIZE, 20),
    production: Boolean(env.DATABASE_URL) || env.GUICHET_PRODUCTION === '1' || env.GUICHET_PRODUCTION === 'true',
    redisUrl: env.REDIS_URL || null,
    rateLimit: {
      max: int(env.RATE_LIMIT_MAX, 5000),
      windowSeconds: int(env.RATE_LIMIT_WINDOW_SECONDS, 3600),
    },
    accessTokenTtlSeconds: int(env.ACCESS_TOKEN_TTL_SECONDS, 3600),
    refreshTokenTtlSeconds: int(env.REFRESH_TOKEN_TTL_SECONDS, 30 * 24 * 3600),
    passwordResetTtlSeconds: int(env.PASSWORD_RESET_TTL_SECONDS, 3600),
    holdTtlSeconds: int(env.HOLD_TTL_SECONDS, 900),
    authCacheSeconds: int(env.AUTH_CACHE_SECONDS, 5),
    corsMaxAgeSeconds: int(env.CORS_MAX_AGE_SECONDS, 86400),
    logLevel: env.LOG_LEVEL || 'info',
    exportDir: env.EXPORT_DIR || './data/exports',
    jobPollSeconds: int(env.JOB_POLL_SECONDS, 5),
    workers: Math.max(1, int(env.WORKERS, 1)),
    hostSet: Boolean(env.HOST),
    trustProxy: trustProxy(env.TRUST_PROXY),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean),
    secretKey: env.GUICHET_SECRET_KEY || null,
    weezeventTokenTtlSeconds: int(env.WEEZEVENT_TOKEN_TTL_SECONDS, 30 * 24 * 3600),
    credentialThrottle: {
      maxFailures: Math.max(1, int(env.CREDENTIAL_MAX_FAILURES, 10)),
      maxFailuresPerIp: Math.max(1, int(env.CREDENTIAL_MAX_FAILURES_PER_IP, 50)),
      windowSeconds: Math.max(1, int(env.CREDENTIAL_FAILURE_WINDOW_SECONDS, 900)),
      maxLockSeconds: Math.max(1, int(env.CREDENTIAL_MAX_LOCK_SECONDS, 3600)),
    },
  };
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** TRUST_PROXY: unset/false (trust no proxy), true, a number of hops, or a comma list of addresses/CIDRs. */
function trustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got "${value}"`);
  return n;
}
