import { AppConfig, durationToSeconds } from './app-config';
import { ConfigError, DEV_JWT_SECRET, parseEnv } from './env.schema';

describe('configuration', () => {
  it('applies the defaults of SPEC §2 to an empty environment', () => {
    const config = AppConfig.fromEnv({});
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/doctor_appointment');
    expect(config.database.name).toBe('doctor_appointment');
    expect(config.redis).toEqual({
      url: 'redis://127.0.0.1:6379',
      clusterNodes: null,
      queuePrefix: 'da',
      bullPrefix: 'da',
    });
    expect(config.http.port).toBe(3000);
    expect(config.http.shutdownDrainMs).toBe(5000);
    expect(config.jwt.accessTtlSeconds).toBe(900);
    expect(config.jwt.refreshTtlSeconds).toBe(30 * 86400);
    expect(config.booking).toMatchObject({
      holdMinutes: 15,
      minNoticeMinutes: 60,
      horizonDays: 90,
      fullRefundHours: 24,
    });
    expect(config.rateLimit).toEqual({
      authPerMinute: 10,
      authIpCeilingPerMinute: 50,
      perMinute: 300,
    });
    expect(config.admin).toBeNull();
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.frontendUrl).toBe('http://localhost:3000');
  });

  it('puts the BullMQ prefix in a hash tag on a Redis Cluster, so each queue stays in one slot', () => {
    const config = AppConfig.fromEnv({
      REDIS_CLUSTER_NODES: 'redis://10.0.0.1:7000,redis://10.0.0.2:7000',
      QUEUE_PREFIX: 'clinic',
    });
    expect(config.redis).toMatchObject({
      clusterNodes: ['redis://10.0.0.1:7000', 'redis://10.0.0.2:7000'],
      queuePrefix: 'clinic',
      bullPrefix: '{clinic}',
    });
    expect(() => AppConfig.fromEnv({ REDIS_CLUSTER_NODES: '10.0.0.1:7000' })).toThrow(
      'Invalid configuration: REDIS_CLUSTER_NODES must be comma-separated redis:// URLs',
    );
    expect(() => AppConfig.fromEnv({ SHUTDOWN_DRAIN_MS: 'soon' })).toThrow(/SHUTDOWN_DRAIN_MS/);
  });

  it('sends email links and PayPal back to FRONTEND_URL, not to the API', () => {
    const config = AppConfig.fromEnv({
      APP_PUBLIC_URL: 'https://api.example.com/',
      FRONTEND_URL: 'https://app.example.com/',
    });
    expect([config.publicUrl, config.frontendUrl]).toEqual([
      'https://api.example.com',
      'https://app.example.com',
    ]);
  });

  it.each([
    ['REDIS_URL', 'nonsense'],
    ['DATABASE_URL', 'mysql://x'],
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['JWT_ACCESS_TTL', '15 minutes'],
    ['PAYMENT_HOLD_MINUTES', '0'],
    ['RUN_MIGRATIONS', 'yes'],
    ['PAYPAL_API_BASE_URL', 'ftp://paypal'],
    ['ADMIN_EMAIL', 'not-an-email'],
    ['LOG_FORMAT', 'colourful'],
  ])('refuses a malformed %s with one line naming it', (name, value) => {
    expect(() =>
      parseEnv({
        [name]: value,
        ADMIN_PASSWORD: name === 'ADMIN_EMAIL' ? 'long-enough' : undefined,
      }),
    ).toThrow(ConfigError);
    try {
      parseEnv({
        [name]: value,
        ADMIN_PASSWORD: name === 'ADMIN_EMAIL' ? 'long-enough' : undefined,
      });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain(name);
      expect(message.split('\n')).toHaveLength(1);
    }
  });

  it('logs JSON except in development on a terminal, unless LOG_FORMAT says', () => {
    const tty = process.stdout.isTTY;
    try {
      process.stdout.isTTY = true;
      expect(AppConfig.fromEnv({}).logFormat).toBe('pretty');
      expect(AppConfig.fromEnv({ NODE_ENV: 'test' }).logFormat).toBe('json');
      const secret = 'x'.repeat(40);
      expect(AppConfig.fromEnv({ NODE_ENV: 'production', JWT_SECRET: secret }).logFormat).toBe(
        'json',
      );
      expect(AppConfig.fromEnv({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
      process.stdout.isTTY = false;
      expect(AppConfig.fromEnv({}).logFormat).toBe('json');
      expect(AppConfig.fromEnv({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    } finally {
      process.stdout.isTTY = tty;
    }
  });

  it('refuses the development JWT secret in production, and short secrets anywhere', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => parseEnv({ NODE_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET })).toThrow(
      /JWT_SECRET/,
    );
    expect(() => parseEnv({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).JWT_SECRET).toBe(
      'x'.repeat(40),
    );
  });

  it('wants the bootstrap admin email and password together', () => {
    expect(() => parseEnv({ ADMIN_EMAIL: 'admin@example.test' })).toThrow(
      /ADMIN_EMAIL and ADMIN_PASSWORD/,
    );
    expect(
      AppConfig.fromEnv({ ADMIN_EMAIL: 'admin@example.test', ADMIN_PASSWORD: 'secret-pass' }).admin,
    ).toEqual({
      email: 'admin@example.test',
      password: 'secret-pass',
    });
  });

  it("reads MAIL_FROM's mailbox, and refuses a MAIL_FROM without one", () => {
    expect(AppConfig.fromEnv({}).mail.fromAddress).toBe('no-reply@doctor-appointment.local');
    expect(AppConfig.fromEnv({ MAIL_FROM: 'desk@clinic.example' }).mail.fromAddress).toBe(
      'desk@clinic.example',
    );
    expect(
      AppConfig.fromEnv({ MAIL_FROM: '"Clinic, Riverside" <desk@clinic.example>' }).mail
        .fromAddress,
    ).toBe('desk@clinic.example');
    expect(() => AppConfig.fromEnv({ MAIL_FROM: 'Riverside Clinic' })).toThrow(/MAIL_FROM/);
  });

  it('reads durations and reminder offsets', () => {
    expect(durationToSeconds('45s')).toBe(45);
    expect(durationToSeconds('2h')).toBe(7200);
    expect(
      AppConfig.fromEnv({ REMINDER_OFFSETS_MINUTES: '120,15' }).booking.reminderOffsetsMinutes,
    ).toEqual([120, 15]);
  });

  it('reads the outbound and webhook settings, with the defaults of SPEC §6', () => {
    const defaults = AppConfig.fromEnv({});
    expect(defaults.outbound).toEqual({ allowPrivate: false });
    expect(defaults.webhooks).toMatchObject({
      retryDays: 3,
      retryScheduleSeconds: [30, 120, 600, 3600, 21600, 43200],
      endpointConcurrency: 4,
    });
    const custom = AppConfig.fromEnv({
      OUTBOUND_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_SCHEDULE_SECONDS: '1,2',
      WEBHOOK_SECRET_KEY: 'k'.repeat(32),
    });
    expect(custom.outbound.allowPrivate).toBe(true);
    expect(custom.webhooks.retryScheduleSeconds).toEqual([1, 2]);
    expect(custom.webhooks.secretKey).toBe('k'.repeat(32));
    expect(() => AppConfig.fromEnv({ WEBHOOK_RETRY_SCHEDULE_SECONDS: '30,,60' })).toThrow(
      /WEBHOOK_RETRY_SCHEDULE_SECONDS/,
    );
    expect(() => AppConfig.fromEnv({ WEBHOOK_SECRET_KEY: 'short' })).toThrow(/WEBHOOK_SECRET_KEY/);
    expect(() => AppConfig.fromEnv({ OUTBOUND_ALLOW_PRIVATE: 'yes please' })).toThrow(
      /OUTBOUND_ALLOW_PRIVATE/,
    );
  });
});
