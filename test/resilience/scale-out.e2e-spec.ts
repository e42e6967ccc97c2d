import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { EventType } from '@app/queues';
import { MIGRATIONS } from '@app/database/migrations';
import { FakePayPal } from '../fakes/paypal-fake';
import { freePort } from '../support/processes';
import { SmtpSink } from '../support/smtp-sink';
import { waitFor } from '../support/wait-for';
import { transpileApps } from './support/compiled';
import { HaProxy, ServiceProcess } from './support/fleet';
import { Load, LoadUser, percentile, tally } from './support/load';
import { SseClient } from './support/sse-client';

/** Short for the test, yet well above fall × inter (500 ms) even on a busy machine. */
const DRAIN_MS = 3000;
const TIMINGS = { interMs: 250, fall: 2, rise: 2 };
const ADMIN = { email: 'admin@scale.test', password: 'a long admin passphrase' };
const PASSWORD = 'a long patient passphrase';

interface Json {
  [key: string]: unknown;
}

describe('Two apis and two workers behind HAProxy', () => {
  let databaseUrl: string;
  let db: Client;
  let smtp: SmtpSink;
  let paypal: FakePayPal;
  let proxy: HaProxy;
  let apis: ServiceProcess[];
  let workers: ServiceProcess[];
  let freeDoctorId: string;
  let paidDoctorId: string;
  let patients: LoadUser[];
  let slotIndex = 0;
  const base = Date.now() + 3 * 3_600_000;
  const slot = (i: number) =>
    new Date(Math.ceil(base / 900_000) * 900_000 + i * 900_000).toISOString();

  async function call(
    method: string,
    url: string,
    options: { token?: string; body?: unknown; baseUrl?: string } = {},
  ): Promise<{ status: number; body: Json; servedBy: string | null }> {
    const res = await fetch((options.baseUrl ?? proxy.url) + url, {
      method,
      headers: {
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : {},
      servedBy: res.headers.get('x-served-by'),
    };
  }

  async function login(email: string, password: string): Promise<LoadUser> {
    const res = await call('POST', '/api/v1/auth/login', { body: { email, password } });
    expect(res.status).toBe(200);
    return { id: (res.body.user as Json).id as string, token: res.body.accessToken as string };
  }

  async function doctor(admin: LoadUser, fee: string): Promise<string> {
    const email = `doctor-${randomBytes(4).toString('hex')}@scale.test`;
    const created = await call('POST', '/api/v1/admin/doctors', {
      token: admin.token,
      body: { email, firstName: 'Dana', lastName: 'Scale', password: PASSWORD },
    });
    expect(created.status).toBe(201);
    const me = await login(email, PASSWORD);
    const rules = [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({
      dayOfWeek,
      startTime: '00:00',
      endTime: '24:00',
    }));
    expect(
      (await call('PUT', '/api/v1/doctors/me/availability', { token: me.token, body: { rules } }))
        .status,
    ).toBe(200);
    expect(
      (
        await call('PATCH', '/api/v1/doctors/me', {
          token: me.token,
          body: { consultationFee: { amount: fee, currency: 'USD' }, slotDurationMinutes: 15 },
        })
      ).status,
    ).toBe(200);
    return me.id;
  }

  async function patient(): Promise<LoadUser> {
    const email = `patient-${randomBytes(4).toString('hex')}@scale.test`;
    const res = await call('POST', '/api/v1/auth/register', {
      body: { email, password: PASSWORD, firstName: 'Pat', lastName: 'Load' },
    });
    expect(res.status).toBe(201);
    return login(email, PASSWORD);
  }

  async function book(user: LoadUser, doctorId = freeDoctorId, baseUrl?: string) {
    return call('POST', '/api/v1/appointments', {
      token: user.token,
      body: { doctorId, startsAt: slot(slotIndex++) },
      baseUrl,
    });
  }

  /** All due work (not future reminders) has run and every email is sent. */
  async function settled(): Promise<void> {
    await waitFor(
      async () => {
        const {
          rows: [row],
        } = await db.query<{ open: number; unsent: number }>(
          `SELECT (SELECT count(*) FROM outbox_events WHERE state IN ('pending', 'queued') AND (run_at IS NULL OR run_at <= now()))::int AS open,
                  (SELECT count(*) FROM notifications WHERE channel = 'email' AND status <> 'sent')::int AS unsent`,
        );
        return row.open === 0 && row.unsent === 0;
      },
      {
        timeoutMs: 180_000,
        intervalMs: 250,
        what: 'all due outbox work done and every email sent',
      },
    ).catch(async (error: Error) => {
      const { rows } = await db.query(
        `SELECT type, state, kind, count(*)::int AS n, min(run_at) AS run_at, max(last_error) AS error, max(requeues) AS requeues
           FROM outbox_events WHERE state IN ('pending', 'queued') AND (run_at IS NULL OR run_at <= now())
          GROUP BY type, state, kind`,
      );
      const { rows: unsent } = await db.query(
        `SELECT type, status, count(*)::int AS n, max(last_error) AS error FROM notifications
          WHERE channel = 'email' AND status <> 'sent' GROUP BY type, status`,
      );
      throw new Error(`${error.message}: ${JSON.stringify({ rows, unsent })}`);
    });
  }

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    paypal = await FakePayPal.start();
    // A database that does not exist yet: the two apis create and migrate it, at once.
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${url.pathname.slice(1, 40)}_scale_${randomBytes(2).toString('hex')}`;
    databaseUrl = url.toString();
    const env = {
      ...paypal.env(),
      DATABASE_URL: databaseUrl,
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}_scale`,
      SMTP_URL: smtp.url,
      SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      // Every client of the test comes from 127.0.0.1 through one balancer.
      RATE_LIMIT_AUTH_PER_MINUTE: '10000',
      RATE_LIMIT_PER_MINUTE: '100000',
      TRUST_PROXY_HOPS: '1',
      LOG_FORMAT: 'json',
      // Room for every booking of the run on its own slot.
      BOOKING_HORIZON_DAYS: '365',
    };
    const build = transpileApps();
    const [p1, p2] = [await freePort(), await freePort()];
    apis = [
      new ServiceProcess('api1', 'api', { ...env, RUN_MIGRATIONS: 'true' }, p1, build),
      new ServiceProcess('api2', 'api', { ...env, RUN_MIGRATIONS: 'true' }, p2, build),
    ];
    workers = [1, 2].map(
      (n) =>
        new ServiceProcess(`worker${n}`, 'worker', { ...env, RUN_MIGRATIONS: 'false' }, 0, build),
    );
    await Promise.all(apis.map((api) => api.start()));
    proxy = await HaProxy.start(
      apis.map((api) => ({ name: api.name, port: api.port })),
      TIMINGS,
    );
    await Promise.all(apis.map((api) => proxy.waitFor(api.name, 'UP')));
    await Promise.all(workers.map((worker) => worker.start()));
    paypal.deliverWebhooksTo(`${proxy.url}/api/v1/payments/webhooks/paypal`);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();

    const admin = await login(ADMIN.email, ADMIN.password);
    freeDoctorId = await doctor(admin, '0.00');
    paidDoctorId = await doctor(admin, '45.00');
    patients = [];
    for (let i = 0; i < 6; i += 1) patients.push(await patient());
  }, 240_000);

  afterAll(async () => {
    await Promise.allSettled([...(apis ?? []), ...(workers ?? [])].map((p) => p.stop('SIGKILL')));
    await proxy?.stop();
    await db?.end();
    await paypal?.close();
    await smtp?.close();
    if (databaseUrl) {
      const admin = new URL(databaseUrl);
      const name = admin.pathname.slice(1);
      admin.pathname = '/postgres';
      const client = new Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    }
  }, 60_000);

  it('migrates once when both apis start at once on an empty database', async () => {
    const { rows } = await db.query<{ name: string; n: number }>(
      'SELECT name, count(*)::int AS n FROM migrations GROUP BY name ORDER BY name',
    );
    expect(rows.map((r) => r.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    const firstRuns = apis.map((api) => api.runs[0]);
    const migrated = firstRuns.filter((out) => out.includes('Applied migrations'));
    const waited = firstRuns.filter((out) => out.includes('Migrations up to date'));
    console.log(
      `Concurrent start: ${migrated.length} api applied ${rows.length} migrations, ${waited.length} found them applied` +
        ` (${firstRuns.filter((out) => out.includes('waiting for the migration lock')).length} waited for the lock)`,
    );
    expect([migrated.length, waited.length]).toEqual([1, 1]);
  });

  it('streams a notification caused on api 2 to a client on api 1, and misses nothing across its restart', async () => {
    const reader = patients[0];
    const client = new SseClient(proxy.url, reader.token, 1000).start();
    try {
      const first = await client.connected(1);
      const streamApi = apis.find((api) => api.name === first.servedBy)!;
      const otherApi = apis.find((api) => api !== streamApi)!;

      // Round robin: once a probe was answered by the stream's api, the next request goes to the other.
      await waitFor(async () => (await call('GET', '/health/live')).servedBy === streamApi.name, {
        timeoutMs: 5000,
        intervalMs: 10,
        what: 'a probe answered by the stream api',
      });
      const booked = await book(reader);
      expect([booked.status, booked.servedBy]).toEqual([201, otherApi.name]);
      await client.next((n) => n.data?.appointmentId === booked.body.id);

      // The stream's api restarts; the client reconnects through the balancer with Last-Event-ID.
      streamApi.signal('SIGTERM');
      await waitFor(() => client.connections.length > 1 || undefined, {
        timeoutMs: 20_000,
        intervalMs: 10,
        what: 'the stream to end after the drain',
      });
      // Booked while the client is between streams: only the replay can deliver these.
      const missed = [await book(reader), await book(reader)];
      expect(missed.map((r) => r.status)).toEqual([201, 201]);
      await streamApi.exited();
      const resumed = await client.connected(2);
      await Promise.all(
        missed.map((r) => client.next((n) => n.data?.appointmentId === r.body.id, 20_000)),
      );
      await streamApi.start();
      await proxy.waitFor(streamApi.name, 'UP');

      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM notifications WHERE user_id = $1 AND channel = 'in_app' ORDER BY created_at`,
        [reader.id],
      );
      const received = client.received.map((n) => n.id);
      console.log(
        `SSE: stream on ${first.servedBy}, booking served by ${booked.servedBy}; after the restart ` +
          `reconnected to ${resumed.servedBy} with Last-Event-ID ${resumed.lastEventId ? 'set' : 'unset'}; ` +
          `${received.length} notifications received of ${rows.length} stored`,
      );
      expect(resumed.servedBy).toBe(otherApi.name);
      expect(resumed.lastEventId).toBeTruthy();
      expect(new Set(received).size).toBe(received.length);
      expect(received.sort()).toEqual(rows.map((r) => r.id).sort());
    } finally {
      await client.stop();
    }
  }, 120_000);

  it('restarts every api and worker one by one under load: no failed request, no lost or doubled email', async () => {
    await settled();
    const emailsBefore = smtp.messages.length;
    const deliveriesBefore = paypal.deliveries().length;
    const streams = patients.slice(0, 2).map((p) => new SseClient(proxy.url, p.token).start());
    await Promise.all(streams.map((s) => s.connected(1)));
    const load = new Load(
      { baseUrl: proxy.url, freeDoctorId, paidDoctorId, paypal, slot: (i) => slot(1000 + i) },
      patients.slice(0, 4),
    );
    load.start();
    await new Promise((resolve) => setTimeout(resolve, 4000));

    const restartFrom = Date.now();
    const drains: string[] = [];
    for (const api of apis) {
      const signalledAt = Date.now();
      api.signal('SIGTERM');
      // Straight to the api while it drains: readiness fails, other requests are still served.
      let readyFailedAfter = -1;
      let servedWhileDraining = 0;
      while (readyFailedAfter < 0 || servedWhileDraining === 0) {
        const [ready, doctor] = await Promise.all([
          call('GET', '/health/ready', { baseUrl: api.url }),
          call('GET', `/api/v1/doctors/${freeDoctorId}`, { baseUrl: api.url }),
        ]).catch(() => [undefined, undefined]);
        if (!ready || !doctor) break;
        if (ready.status === 503 && readyFailedAfter < 0)
          readyFailedAfter = Date.now() - signalledAt;
        if (ready.status === 503 && doctor.status === 200) servedWhileDraining += 1;
      }
      expect(readyFailedAfter).toBeGreaterThanOrEqual(0);
      expect(servedWhileDraining).toBeGreaterThan(0);
      await proxy.waitFor(api.name, 'DOWN', 5000);
      const downAfter = Date.now() - signalledAt;
      await api.exited();
      const exitedAfter = Date.now() - signalledAt;
      await api.start();
      await proxy.waitFor(api.name, 'UP');
      drains.push(
        `${api.name}: ready 503 after ${readyFailedAfter} ms, out of the balancer after ${downAfter} ms, exited after ${exitedAfter} ms, back in after ${Date.now() - signalledAt} ms`,
      );
    }
    for (const worker of workers) {
      const signalledAt = Date.now();
      await worker.stop('SIGTERM');
      const exitedAfter = Date.now() - signalledAt;
      expect(worker.output).toContain('taking no new jobs');
      expect(worker.output).toContain('Running jobs finished');
      await worker.start();
      drains.push(
        `${worker.name}: exited after ${exitedAfter} ms, started again after ${Date.now() - signalledAt} ms`,
      );
    }
    const restartTo = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await load.stop();
    await settled();
    // The fake delivers its last webhooks (capture completed) asynchronously.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await settled();
    await Promise.all(streams.map((s) => s.stop()));

    const failed = load.samples.filter((s) => s.failed);
    const steady = load.samples.filter(
      (s) => s.startedAt < restartFrom || s.startedAt >= restartTo,
    );
    const restart = load.between(restartFrom, restartTo);
    const webhooks = paypal.deliveries().slice(deliveriesBefore);
    const failedWebhooks = webhooks.filter((d) => d.status !== 200);
    console.log(
      `Rolling restart (${((restartTo - restartFrom) / 1000).toFixed(1)} s of ${(
        (Date.now() - restartFrom + 4000) /
        1000
      ).toFixed(
        0,
      )} s of load): ${load.samples.length} requests + ${webhooks.length} PayPal webhooks sent, ` +
        `${failed.length + failedWebhooks.length} failed; p99 steady ${percentile(steady, 99)} ms ` +
        `(${steady.length} requests), p99 during the restart ${percentile(restart, 99)} ms (${restart.length} requests); ` +
        `served by ${JSON.stringify(countBy(load.samples, (s) => s.servedBy ?? 'none'))}; ${drains.join('; ')}`,
    );
    expect(failed).toEqual([]);
    expect(failedWebhooks).toEqual([]);
    expect(restart.length).toBeGreaterThan(100);
    expect(new Set(restart.map((s) => s.servedBy))).toEqual(new Set(['api1', 'api2']));

    // Emails: each stored email notification sent exactly once, by notification id.
    const { rows: emails } = await db.query<{ id: string; status: string }>(
      `SELECT id, status FROM notifications WHERE channel = 'email'`,
    );
    const sent = smtp.messages.map((m) => String(m.headers.get('x-notification-id')));
    const perId = countBy(sent, (id) => id);
    const lost = emails.filter((e) => !perId[e.id]);
    const doubled = Object.entries(perId).filter(([, n]) => n > 1);
    console.log(
      `Emails: ${emails.length} stored, ${sent.length} received by SMTP (${sent.length - emailsBefore} during the load), ` +
        `${lost.length} lost, ${doubled.length} duplicated`,
    );
    expect(lost).toEqual([]);
    expect(doubled).toEqual([]);
    expect(sent.filter((id) => !emails.some((e) => e.id === id))).toEqual([]);

    // Outbox: every booking's event recorded once, relayed and handled once.
    const { rows: events } = await db.query<{ aggregate_id: string; state: string; n: number }>(
      `SELECT aggregate_id, min(state::text) AS state, count(*)::int AS n FROM outbox_events
        WHERE type = $1 AND aggregate_id = ANY($2) GROUP BY aggregate_id`,
      [EventType.AppointmentBooked, load.booked],
    );
    console.log(
      `Outbox: ${load.booked.length} bookings, ${events.filter((e) => e.n === 1 && e.state === 'done').length} booked events relayed once`,
    );
    expect(events).toHaveLength(load.booked.length);
    expect(events.filter((e) => e.n !== 1 || e.state !== 'done')).toEqual([]);

    // Live streams: each saw every in-app notification of its user once, across the restarts.
    for (const [i, stream] of streams.entries()) {
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM notifications WHERE user_id = $1 AND channel = 'in_app' AND created_at >= to_timestamp($2 / 1000.0)`,
        [patients[i].id, stream.connections[0].openedAt],
      );
      const received = stream.received.map((n) => n.id);
      expect(new Set(received).size).toBe(received.length);
      expect(rows.map((r) => r.id).filter((id) => !received.includes(id))).toEqual([]);
    }
  }, 600_000);

  it('loses only the requests in flight when an api is killed; the balancer routes the rest', async () => {
    await settled();
    const load = new Load(
      { baseUrl: proxy.url, freeDoctorId, paidDoctorId, paypal, slot: (i) => slot(20_000 + i) },
      patients.slice(0, 4),
    );
    load.start();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const victim = apis[0];
    const killedAt = Date.now();
    await victim.stop('SIGKILL');
    await proxy.waitFor(victim.name, 'DOWN', 10_000);
    const downAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await load.stop();

    const failed = load.samples.filter((s) => s.failed);
    const inFlight = load.samples.filter((s) => s.startedAt <= killedAt && s.endedAt >= killedAt);
    const lateFailures = failed.filter((s) => s.startedAt > killedAt + 50);
    const lastFailure = failed.length ? Math.max(...failed.map((s) => s.endedAt)) - killedAt : 0;
    console.log(
      `SIGKILL of ${victim.name}: ${load.samples.length} requests, ${failed.length} failed ` +
        `(${inFlight.length} were in flight at the kill; ${tally(failed)}), ` +
        `out of the balancer ${downAt - killedAt} ms after the kill (checks every ${TIMINGS.interMs} ms, fall ${TIMINGS.fall}), ` +
        `last failure answered ${lastFailure} ms after the kill`,
    );
    expect(lateFailures).toEqual([]);
    expect(failed.length).toBeLessThanOrEqual(inFlight.length);
    expect(load.samples.filter((s) => s.startedAt > downAt).every((s) => !s.failed)).toBe(true);

    await victim.start();
    await proxy.waitFor(victim.name, 'UP');
  }, 120_000);
});

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  return items.reduce<Record<string, number>>((acc, item) => {
    const k = key(item);
    return { ...acc, [k]: (acc[k] ?? 0) + 1 };
  }, {});
}
