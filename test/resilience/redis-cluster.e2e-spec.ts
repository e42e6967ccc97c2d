import { randomBytes } from 'node:crypto';
import { freePort } from '../support/processes';
import { SmtpSink } from '../support/smtp-sink';
import { IsolatedDatabase } from '../security/support/database';
import { transpileApps } from './support/compiled';
import { RedisCluster, ServiceProcess } from './support/fleet';

const ADMIN = { email: 'admin@cluster.test', password: 'a long admin passphrase' };
const PASSWORD = 'a long patient passphrase';
const AUTH_LIMIT = 5;

interface Json {
  [key: string]: unknown;
}

describe('On a three-master Redis Cluster', () => {
  let cluster: RedisCluster;
  let database: IsolatedDatabase;
  let smtp: SmtpSink;
  let api: ServiceProcess;
  let worker: ServiceProcess;
  const prefix = `${process.env.QUEUE_PREFIX}_cluster`;

  async function call(method: string, url: string, body?: unknown, token?: string) {
    const res = await fetch(api.url + url, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: (text && /json/.test(res.headers.get('content-type') ?? '')
        ? JSON.parse(text)
        : {}) as Json,
    };
  }

  async function login(email: string, password: string): Promise<{ id: string; token: string }> {
    const res = await call('POST', '/api/v1/auth/login', { email, password });
    expect(res.status).toBe(200);
    return { id: (res.body.user as Json).id as string, token: res.body.accessToken as string };
  }

  beforeAll(async () => {
    const build = transpileApps();
    [cluster, database, smtp] = await Promise.all([
      RedisCluster.start(3),
      IsolatedDatabase.create('cluster'),
      SmtpSink.start(),
    ]);
    const env = {
      DATABASE_URL: database.url,
      // Set, so REDIS_URL (the run's single Redis) is not what answers.
      REDIS_CLUSTER_NODES: cluster.nodes,
      REDIS_URL: 'redis://127.0.0.1:1',
      QUEUE_PREFIX: prefix,
      SMTP_URL: smtp.url,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      RATE_LIMIT_AUTH_PER_MINUTE: String(AUTH_LIMIT),
      RATE_LIMIT_PER_MINUTE: '100000',
      LOG_FORMAT: 'json',
    };
    api = new ServiceProcess('cluster-api', 'api', env, await freePort(), build);
    worker = new ServiceProcess(
      'cluster-worker',
      'worker',
      { ...env, RUN_MIGRATIONS: 'false' },
      0,
      build,
    );
    await api.start();
    await worker.start();
  }, 240_000);

  afterAll(async () => {
    await worker?.stop('SIGTERM');
    await api?.stop('SIGTERM');
    await smtp?.close();
    await database?.drop();
    await cluster?.stop();
  }, 60_000);

  it('books and emails through BullMQ on the cluster, every queue key in one hash slot', async () => {
    const admin = await login(ADMIN.email, ADMIN.password);
    const doctorEmail = `doctor-${randomBytes(4).toString('hex')}@cluster.test`;
    expect(
      (
        await call(
          'POST',
          '/api/v1/admin/doctors',
          { email: doctorEmail, firstName: 'Dana', lastName: 'Cluster', password: PASSWORD },
          admin.token,
        )
      ).status,
    ).toBe(201);
    const doctor = await login(doctorEmail, PASSWORD);
    const rules = [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({
      dayOfWeek,
      startTime: '00:00',
      endTime: '24:00',
    }));
    expect(
      (await call('PUT', '/api/v1/doctors/me/availability', { rules }, doctor.token)).status,
    ).toBe(200);
    expect(
      (
        await call(
          'PATCH',
          '/api/v1/doctors/me',
          { consultationFee: { amount: '0.00', currency: 'USD' } },
          doctor.token,
        )
      ).status,
    ).toBe(200);
    const patientEmail = `patient-${randomBytes(4).toString('hex')}@cluster.test`;
    expect(
      (
        await call('POST', '/api/v1/auth/register', {
          email: patientEmail,
          password: PASSWORD,
          firstName: 'Pat',
          lastName: 'Cluster',
        })
      ).status,
    ).toBe(201);
    const patient = await login(patientEmail, PASSWORD);
    const startsAt = new Date(Math.ceil((Date.now() + 3 * 3_600_000) / 3_600_000) * 3_600_000);
    const booked = await call(
      'POST',
      '/api/v1/appointments',
      { doctorId: doctor.id, startsAt: startsAt.toISOString() },
      patient.token,
    );
    expect(booked.status).toBe(201);
    expect(booked.body.status).toBe('confirmed');

    // The verification email (register) and the booking emails go out through the queues.
    const email = await smtp.waitForMessage(
      (m) => m.to.includes(patientEmail) && m.subject === 'Booking received',
      60_000,
    );
    expect(email.headers.get('x-notification-id')).toBeTruthy();

    const keys = await cluster.keysByNode(`{${prefix}}:*`);
    const holders = Object.entries(keys).filter(([, list]) => list.length > 0);
    const rateKeys = await cluster.keysByNode(`${prefix}:rate:*`);
    console.log(
      `Redis Cluster: booking ${booked.status} ${booked.body.status}, "${email.subject}" emailed; ` +
        `${holders.reduce((n, [, list]) => n + list.length, 0)} BullMQ keys, all on node ${holders.map(([port]) => port).join(', ')}; ` +
        `rate-limit keys per node ${JSON.stringify(Object.values(rateKeys).map((list) => list.length))}`,
    );
    expect(holders).toHaveLength(1);
    expect(Object.values(rateKeys).flat().length).toBeGreaterThan(0);
  }, 120_000);

  it('limits logins through the Lua script on the cluster (429 with Retry-After)', async () => {
    const email = `nobody-${randomBytes(4).toString('hex')}@cluster.test`;
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i <= AUTH_LIMIT; i += 1) {
      const res = await call('POST', '/api/v1/auth/login', { email, password: 'wrong password' });
      statuses.push(res.status);
      retryAfter = res.headers.get('retry-after');
    }
    console.log(`Redis Cluster rate limit: logins answered ${statuses.join(', ')}`);
    expect(statuses).toEqual([...Array(AUTH_LIMIT).fill(401), 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(api.output).not.toMatch(/Rate limiting is off/);
    expect(api.output).not.toMatch(/CROSSSLOT/);
  }, 60_000);
});
