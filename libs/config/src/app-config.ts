import { ConfigError, EnvSchema, parseEnv } from './env.schema';

/** Login's per-IP ceiling across all emails, as a multiple of RATE_LIMIT_AUTH_PER_MINUTE. */
export const AUTH_IP_CEILING_FACTOR = 5;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export function durationToSeconds(value: string): number {
  const unit = value.slice(-1);
  return Number(value.slice(0, -1)) * UNIT_SECONDS[unit];
}

function parseUrl(name: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new ConfigError(`Invalid configuration: ${name} is not a valid URL`);
  }
}

const MAILBOX = /^(?:[^<>]*<\s*([^\s<>@]+@[^\s<>@]+)\s*>|\s*([^\s<>@]+@[^\s<>@]+))\s*$/;

/** The address of `Name <address>` or of a bare address. */
function parseMailbox(name: string, value: string): string {
  const match = MAILBOX.exec(value);
  if (!match) {
    throw new ConfigError(`Invalid configuration: ${name} must be an address or "Name <address>"`);
  }
  return match[1] ?? match[2]!;
}

/** Typed, validated configuration shared by the api and the worker. */
export class AppConfig {
  readonly env: EnvSchema['NODE_ENV'];
  readonly isProduction: boolean;
  readonly http: {
    port: number;
    host: string;
    corsOrigins: string[] | true;
    bodyLimit: number;
    trustProxyHops: number;
    /** After SIGTERM: readiness fails for this long before the server stops taking requests. */
    shutdownDrainMs: number;
  };
  readonly database: { url: string; name: string; runMigrations: boolean };
  /**
   * `clusterNodes`: Redis Cluster seed URLs (null: one Redis at `url`). `bullPrefix`: BullMQ's
   * key prefix, a hash tag on a cluster so each queue's keys (and Lua scripts) share one slot.
   */
  readonly redis: {
    url: string;
    clusterNodes: string[] | null;
    queuePrefix: string;
    bullPrefix: string;
  };
  readonly jwt: { secret: string; accessTtlSeconds: number; refreshTtlSeconds: number };
  /** `fromAddress`: the bare mailbox of `from` (an invitation's ORGANIZER). */
  readonly mail: { smtpUrl: string; from: string; fromAddress: string };
  readonly paypal: { baseUrl: string; clientId: string; clientSecret: string; webhookId: string };
  readonly booking: {
    holdMinutes: number;
    minNoticeMinutes: number;
    horizonDays: number;
    fullRefundHours: number;
    reminderOffsetsMinutes: number[];
  };
  readonly admin: { email: string; password: string } | null;
  /** The API's own base URL. */
  readonly publicUrl: string;
  /** The web app's base URL: email links and PayPal return/cancel pages (docs/frontend.md). */
  readonly frontendUrl: string;
  readonly rateLimit: { authPerMinute: number; authIpCeilingPerMinute: number; perMinute: number };
  readonly logLevel: string;
  /** JSON lines for machines (production, tests, pipes); pretty lines for a developer's terminal. */
  readonly logFormat: 'json' | 'pretty';
  readonly workerHealthPort: number;
  readonly work: {
    jobAttempts: number;
    jobBackoffMs: number;
    sweepSeconds: number;
    retrySeconds: number;
    deadlineSeconds: number;
  };
  /** Requests to URLs users give us (webhooks, busy calendars). */
  readonly outbound: { allowPrivate: boolean };
  readonly webhooks: {
    retryDays: number;
    retryScheduleSeconds: number[];
    endpointConcurrency: number;
    /** Encrypts signing secrets at rest (AES-256-GCM key material). */
    secretKey: string;
  };

  constructor(raw: EnvSchema) {
    this.env = raw.NODE_ENV;
    this.isProduction = raw.NODE_ENV === 'production';
    const origins = raw.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    this.http = {
      port: raw.PORT,
      host: raw.HOST,
      corsOrigins: origins.includes('*') ? true : origins,
      bodyLimit: raw.BODY_LIMIT_BYTES,
      trustProxyHops: raw.TRUST_PROXY_HOPS,
      shutdownDrainMs: raw.SHUTDOWN_DRAIN_MS,
    };
    const dbUrl = parseUrl('DATABASE_URL', raw.DATABASE_URL);
    const dbName = decodeURIComponent(dbUrl.pathname.replace(/^\//, ''));
    if (!/^[A-Za-z0-9_-]{1,63}$/.test(dbName)) {
      throw new ConfigError('Invalid configuration: DATABASE_URL must name a database');
    }
    this.database = {
      url: raw.DATABASE_URL,
      name: dbName,
      runMigrations: raw.RUN_MIGRATIONS === 'true',
    };
    parseUrl('REDIS_URL', raw.REDIS_URL);
    const clusterNodes = raw.REDIS_CLUSTER_NODES
      ? raw.REDIS_CLUSTER_NODES.split(',').map((node) => {
          parseUrl('REDIS_CLUSTER_NODES', node);
          return node;
        })
      : null;
    this.redis = {
      url: raw.REDIS_URL,
      clusterNodes,
      queuePrefix: raw.QUEUE_PREFIX,
      bullPrefix: clusterNodes ? `{${raw.QUEUE_PREFIX}}` : raw.QUEUE_PREFIX,
    };
    this.jwt = {
      secret: raw.JWT_SECRET,
      accessTtlSeconds: durationToSeconds(raw.JWT_ACCESS_TTL),
      refreshTtlSeconds: durationToSeconds(raw.JWT_REFRESH_TTL),
    };
    parseUrl('SMTP_URL', raw.SMTP_URL);
    this.mail = {
      smtpUrl: raw.SMTP_URL,
      from: raw.MAIL_FROM,
      fromAddress: parseMailbox('MAIL_FROM', raw.MAIL_FROM),
    };
    this.paypal = {
      baseUrl: parseUrl('PAYPAL_API_BASE_URL', raw.PAYPAL_API_BASE_URL)
        .toString()
        .replace(/\/$/, ''),
      clientId: raw.PAYPAL_CLIENT_ID,
      clientSecret: raw.PAYPAL_CLIENT_SECRET,
      webhookId: raw.PAYPAL_WEBHOOK_ID,
    };
    this.booking = {
      holdMinutes: raw.PAYMENT_HOLD_MINUTES,
      minNoticeMinutes: raw.BOOKING_MIN_NOTICE_MINUTES,
      horizonDays: raw.BOOKING_HORIZON_DAYS,
      fullRefundHours: raw.CANCELLATION_FULL_REFUND_HOURS,
      reminderOffsetsMinutes: raw.REMINDER_OFFSETS_MINUTES.split(',').map(Number),
    };
    this.admin =
      raw.ADMIN_EMAIL && raw.ADMIN_PASSWORD
        ? { email: raw.ADMIN_EMAIL, password: raw.ADMIN_PASSWORD }
        : null;
    this.publicUrl = parseUrl('APP_PUBLIC_URL', raw.APP_PUBLIC_URL).toString().replace(/\/$/, '');
    this.frontendUrl = raw.FRONTEND_URL
      ? parseUrl('FRONTEND_URL', raw.FRONTEND_URL).toString().replace(/\/$/, '')
      : this.publicUrl;
    this.rateLimit = {
      authPerMinute: raw.RATE_LIMIT_AUTH_PER_MINUTE,
      authIpCeilingPerMinute: raw.RATE_LIMIT_AUTH_PER_MINUTE * AUTH_IP_CEILING_FACTOR,
      perMinute: raw.RATE_LIMIT_PER_MINUTE,
    };
    this.logLevel = raw.LOG_LEVEL;
    this.logFormat =
      raw.LOG_FORMAT ??
      (raw.NODE_ENV === 'development' && process.stdout.isTTY === true ? 'pretty' : 'json');
    this.workerHealthPort = raw.WORKER_HEALTH_PORT;
    this.work = {
      jobAttempts: raw.JOB_ATTEMPTS,
      jobBackoffMs: raw.JOB_BACKOFF_MS,
      sweepSeconds: raw.WORK_SWEEP_SECONDS,
      retrySeconds: raw.WORK_RETRY_SECONDS,
      deadlineSeconds: raw.WORK_DEADLINE_SECONDS,
    };
    this.outbound = { allowPrivate: raw.OUTBOUND_ALLOW_PRIVATE === 'true' };
    this.webhooks = {
      retryDays: raw.WEBHOOK_RETRY_DAYS,
      retryScheduleSeconds: raw.WEBHOOK_RETRY_SCHEDULE_SECONDS.split(',').map(Number),
      endpointConcurrency: raw.WEBHOOK_ENDPOINT_CONCURRENCY,
      // Own key recommended: with the derived one, rotating JWT_SECRET makes stored secrets unreadable.
      secretKey: raw.WEBHOOK_SECRET_KEY ?? `derived-from-jwt:${raw.JWT_SECRET}`,
    };
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
    return new AppConfig(parseEnv(env));
  }
}

/**
 * Loads the configuration before bootstrap; on error prints one line naming the
 * variable and exits non-zero.
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return AppConfig.fromEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
