import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBooleanString,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

export const DEV_JWT_SECRET = 'dev-only-secret-change-me-0123456789abcdef';
const DURATION = /^\d+[smhd]$/;
const URL_WITH_SCHEME = (schemes: string[]) =>
  new RegExp(`^(${schemes.join('|')})://[^\\s]+$`, 'i');

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/** Raw environment as read from process.env, with SPEC §2 defaults. */
export class EnvSchema {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @Matches(URL_WITH_SCHEME(['postgres', 'postgresql']), { message: 'must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/doctor_appointment';

  @Matches(URL_WITH_SCHEME(['redis', 'rediss']), { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Redis Cluster seed nodes, comma-separated redis:// URLs; when set, REDIS_URL is not used. */
  @IsOptional()
  @Matches(/^rediss?:\/\/[^\s,]+(,rediss?:\/\/[^\s,]+)*$/i, {
    message: 'must be comma-separated redis:// URLs',
  })
  REDIS_CLUSTER_NODES?: string;

  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be 1-64 letters, digits, - or _' })
  QUEUE_PREFIX = 'da';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  /** api only: after SIGTERM, how long readiness fails while requests are still served. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300_000)
  SHUTDOWN_DRAIN_MS = 5000;

  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET = DEV_JWT_SECRET;

  @Matches(DURATION, { message: 'must look like 15m, 1h, 30d' })
  JWT_ACCESS_TTL = '15m';

  @Matches(DURATION, { message: 'must look like 15m, 1h, 30d' })
  JWT_REFRESH_TTL = '30d';

  @Matches(URL_WITH_SCHEME(['smtp', 'smtps']), { message: 'must be an smtp:// URL' })
  SMTP_URL = 'smtp://127.0.0.1:1025';

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Doctor Appointments <no-reply@doctor-appointment.local>';

  @Matches(URL_WITH_SCHEME(['http', 'https']), { message: 'must be an http(s) URL' })
  PAYPAL_API_BASE_URL = 'https://api-m.sandbox.paypal.com';

  @IsString()
  PAYPAL_CLIENT_ID = '';

  @IsString()
  PAYPAL_CLIENT_SECRET = '';

  @IsString()
  PAYPAL_WEBHOOK_ID = '';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  PAYMENT_HOLD_MINUTES = 15;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  BOOKING_MIN_NOTICE_MINUTES = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(730)
  BOOKING_HORIZON_DAYS = 90;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  CANCELLATION_FULL_REFUND_HOURS = 24;

  @IsBooleanString()
  RUN_MIGRATIONS = 'true';

  @IsOptional()
  @IsEmail()
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(8)
  ADMIN_PASSWORD?: string;

  @Matches(URL_WITH_SCHEME(['http', 'https']), { message: 'must be an http(s) URL' })
  APP_PUBLIC_URL = 'http://localhost:3000';

  /** The web app that email links and PayPal's return pages open; APP_PUBLIC_URL when unset. */
  @IsOptional()
  @Matches(URL_WITH_SCHEME(['http', 'https']), { message: 'must be an http(s) URL' })
  FRONTEND_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_AUTH_PER_MINUTE = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 300;

  @IsString()
  CORS_ORIGINS = '*';

  /** Proxy hops in front of the api whose X-Forwarded-For is trusted (0: none). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  TRUST_PROXY_HOPS = 0;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** json, or pretty single lines for people; unset: pretty in development on a terminal. */
  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  /** Minutes before the start at which reminders go out (comma-separated). */
  @Matches(/^\d+(,\d+)*$/, { message: 'must be comma-separated minutes, e.g. 1440,60' })
  REMINDER_OFFSETS_MINUTES = '1440,60';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_HEALTH_PORT = 0;

  /** Tries of one job inside the queue (exponential backoff from JOB_BACKOFF_MS) before the sweeper takes over. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  JOB_ATTEMPTS = 8;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(600_000)
  JOB_BACKOFF_MS = 1000;

  /** How often the sweeper looks for work that ran out of tries or was lost. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  WORK_SWEEP_SECONDS = 60;

  /** First wait before the sweeper queues failed work again; doubles each time, at most 6 h. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  WORK_RETRY_SECONDS = 60;

  /** After this long unfinished work is marked failed, counted in /metrics and shown to admins. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(2_592_000)
  WORK_DEADLINE_SECONDS = 259_200;

  /** Outbound requests (webhooks, busy calendars) may reach loopback, private and link-local addresses, and webhooks plain http. */
  @IsBooleanString()
  OUTBOUND_ALLOW_PRIVATE = 'false';

  /** How long a webhook delivery is retried before it is failed; an endpoint failing that long is disabled. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30)
  WEBHOOK_RETRY_DAYS = 3;

  /** Waits between webhook attempts (seconds, comma-separated); the last one repeats. */
  @Matches(/^\d+(,\d+)*$/, { message: 'must be comma-separated seconds, e.g. 30,120,600' })
  WEBHOOK_RETRY_SCHEDULE_SECONDS = '30,120,600,3600,21600,43200';

  /** Deliveries to one endpoint in flight at once, across all workers. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_ENDPOINT_CONCURRENCY = 4;

  /** Key that encrypts webhook signing secrets at rest; derived from JWT_SECRET when unset. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  WEBHOOK_SECRET_KEY?: string;
}

export class ConfigError extends Error {}

/** Validates the environment; throws a ConfigError naming the first bad variable. */
export function parseEnv(env: NodeJS.ProcessEnv): EnvSchema {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = plainToInstance(EnvSchema, defined, { exposeDefaultValues: true });
  const errors = validateSync(parsed, { skipMissingProperties: false });
  if (errors.length > 0) {
    const first = errors[0];
    const reason = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    const message = reason.startsWith(first.property) ? reason : `${first.property} ${reason}`;
    throw new ConfigError(`Invalid configuration: ${message}`);
  }
  if (parsed.NODE_ENV === 'production' && parsed.JWT_SECRET === DEV_JWT_SECRET) {
    throw new ConfigError(
      'Invalid configuration: JWT_SECRET must be set to a secret of your own when NODE_ENV=production',
    );
  }
  if (Boolean(parsed.ADMIN_EMAIL) !== Boolean(parsed.ADMIN_PASSWORD)) {
    throw new ConfigError(
      'Invalid configuration: ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    );
  }
  return parsed;
}
