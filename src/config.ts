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
  /** How long a date's seat states are cached for buyers polling them (milliseconds; 0 turns the cache off). */
  seatsCacheMs: number;
  corsMaxAgeSeconds: number;
  logLevel: string;
  /** Where export jobs write their CSV files (created when missing). */
  exportDir: string;
  /** Google Static Maps key and URL-signing secret (base64url), for TickeTing venue `map` URLs; null: no map. */
  mapsKey: string | null;
  mapsSigningSecret: string | null;
  /** How often a server process looks for queued jobs created elsewhere (0 = only when asked in-process). */
  jobPollSeconds: number;
  /** Server processes sharing the port (`serve`): 1 serves from the main process itself. */
  workers: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || './data/guichet.sqlite';
  return {
    port: int(env.PORT, 3000),
    host: env.HOST || '0.0.0.0',
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
    seatsCacheMs: int(env.SEATS_CACHE_MS, 1000),
    authCacheSeconds: int(env.AUTH_CACHE_SECONDS, 5),
    corsMaxAgeSeconds: int(env.CORS_MAX_AGE_SECONDS, 86400),
    logLevel: env.LOG_LEVEL || 'info',
    exportDir: env.EXPORT_DIR || './data/exports',
    mapsKey: env.MAPS_API_KEY || null,
    mapsSigningSecret: env.MAPS_SIGNING_SECRET || null,
    jobPollSeconds: int(env.JOB_POLL_SECONDS, 5),
    workers: Math.max(1, int(env.WORKERS, 1)),
  };
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got "${value}"`);
  return n;
}
