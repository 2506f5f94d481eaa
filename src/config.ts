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
  /** Outgoing messages (DESIGN §8): e-mail, ticket documents, webhooks. See core/delivery. */
  delivery: DeliveryConfig;
  /** How long a browser session lives without being used (sliding). */
  webSessionTtlSeconds: number;
  /** Where the built web app is served from (`npm run build:web` writes it). */
  webDist: string;
}

export interface DeliveryConfig {
  /** Off: no outbox message is written (benchmarks compare); nothing is e-mailed or called. */
  enabled: boolean;
  /** `smtp://user:pass@host:587`, `smtps://…`; unset: e-mails are kept, readable by owners (no transport). */
  smtpUrl: string | null;
  mailFrom: string;
  /** The address people reach this server at, for links in e-mails. */
  publicUrl: string;
  pollMs: number;
  leaseSeconds: number;
  mailMaxAttempts: number;
  /** Sent, dead, cancelled and kept messages (and their attempt logs) are purged by the worker after this many days; 0 keeps them. */
  retentionDays: number;
  /** How long the document links in e-mails work. */
  linkTtlSeconds: number;
  webhookTimeoutMs: number;
  /** Lets webhook endpoints target loopback and private addresses (tests, private networks). */
  webhookAllowPrivate: boolean;
  /** Apple Wallet: PEM files (paths) and identifiers; passes are offered only when all are set. */
  applePass: {
    certificate: string; key: string; keyPassphrase: string | null; wwdr: string; passTypeId: string; teamId: string; webService?: boolean;
    /** Apple's push service for pass updates (APNS_HOST; Apple's production host by default), and a CA to trust for it (APNS_CA_CERT). */
    apnsHost?: string; apnsCa?: string | null;
  } | null;
  /** Google Wallet: the issuer id and the service account's JSON key (a path); links only when both are set. */
  googleWallet: { issuerId: string; serviceAccountFile: string } | null;
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
    seatsCacheMs: int(env.SEATS_CACHE_MS, 1000),
    authCacheSeconds: int(env.AUTH_CACHE_SECONDS, 5),
    corsMaxAgeSeconds: int(env.CORS_MAX_AGE_SECONDS, 86400),
    logLevel: env.LOG_LEVEL || 'info',
    exportDir: env.EXPORT_DIR || './data/exports',
    mapsKey: env.MAPS_API_KEY || null,
    mapsSigningSecret: env.MAPS_SIGNING_SECRET || null,
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
    delivery: {
      enabled: !['off', '0', 'false'].includes((env.DELIVERY ?? '').toLowerCase()),
      smtpUrl: env.SMTP_URL || null,
      mailFrom: env.MAIL_FROM || 'Guichet <no-reply@guichet.localhost>',
      publicUrl: (env.PUBLIC_URL || `http://localhost:${int(env.PORT, 3000)}`).replace(/\/+$/, ''),
      pollMs: int(env.OUTBOX_POLL_MS, 1000),
      leaseSeconds: Math.max(1, int(env.OUTBOX_LEASE_SECONDS, 120)),
      mailMaxAttempts: Math.max(1, int(env.MAIL_MAX_ATTEMPTS, 10)),
      retentionDays: Math.max(0, int(env.OUTBOX_RETENTION_DAYS, 30)),
      linkTtlSeconds: int(env.DOCUMENT_LINK_TTL_SECONDS, 60 * 24 * 3600),
      webhookTimeoutMs: int(env.WEBHOOK_TIMEOUT_MS, 10_000),
      webhookAllowPrivate: ['1', 'true'].includes((env.WEBHOOK_ALLOW_PRIVATE ?? '').toLowerCase()),
      applePass:
        env.APPLE_PASS_CERT && env.APPLE_PASS_KEY && env.APPLE_WWDR_CERT && env.APPLE_PASS_TYPE_ID && env.APPLE_TEAM_ID
          ? { certificate: env.APPLE_PASS_CERT, key: env.APPLE_PASS_KEY, keyPassphrase: env.APPLE_PASS_KEY_PASSPHRASE || null, wwdr: env.APPLE_WWDR_CERT, passTypeId: env.APPLE_PASS_TYPE_ID, teamId: env.APPLE_TEAM_ID, webService: ['1', 'true'].includes((env.APPLE_PASS_WEB_SERVICE ?? '').toLowerCase()), apnsHost: env.APNS_HOST || 'https://api.push.apple.com', apnsCa: env.APNS_CA_CERT || null }
          : null,
      googleWallet: env.GOOGLE_WALLET_ISSUER_ID && env.GOOGLE_WALLET_SERVICE_ACCOUNT ? { issuerId: env.GOOGLE_WALLET_ISSUER_ID, serviceAccountFile: env.GOOGLE_WALLET_SERVICE_ACCOUNT } : null,
    },
    webSessionTtlSeconds: int(env.WEB_SESSION_TTL_SECONDS, 14 * 24 * 3600),
    webDist: env.WEB_DIST || new URL('../web/dist', import.meta.url).pathname,
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
