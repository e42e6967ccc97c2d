import { UserRole } from '@app/database';
import { Actor, createActor, createDoctor, everyDay } from '../support/doctor-helpers';
import { freePort } from '../support/processes';
import { TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { IsolatedDatabase } from '../security/support/database';
import { isProblem, RawResponse, send } from '../security/support/http';
import { PostgresCluster } from '../security/support/processes';

/** Generous: a request may be slow while the database is gone, never stuck. */
const HANG_MS = 20_000;

interface Sample {
  what: string;
  startedAt: number;
  endedAt: number;
  status: number;
  code?: string;
  problem: boolean;
  retryAfter: string | null;
}

describe('PostgreSQL restarted under load', () => {
  let cluster: PostgresCluster;
  let database: IsolatedDatabase;
  let app: TestApp;
  let patient: Actor;
  let doctor: Actor;
  let running = true;
  let nextHour = 30;
  const samples: Sample[] = [];
  const hangs: string[] = [];

  beforeAll(async () => {
    // Our own cluster: the machine's shared PostgreSQL is never stopped.
    cluster = new PostgresCluster(await freePort());
    await cluster.init();
    database = await IsolatedDatabase.create('restart', cluster.url);
    app = await TestApp.start({ env: { DATABASE_URL: database.url } });
    patient = await createActor(app, UserRole.Patient);
    doctor = await createDoctor(app, { rules: everyDay('00:00', '24:00'), feeMinor: 0 });
  }, 180_000);

  afterAll(async () => {
    running = false;
    await app?.close();
    await cluster?.destroy();
  });

  const slot = () => {
    const d = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
    d.setUTCHours(d.getUTCHours() + nextHour++);
    return d.toISOString();
  };

  /** One client of the load: reads and bookings, every answer recorded with its timing. */
  async function client(id: number): Promise<void> {
    const calls: [string, () => Promise<RawResponse>][] = [
      [
        'list appointments',
        () =>
          send(
            app.baseUrl,
            { method: 'GET', url: '/api/v1/appointments', token: patient.token },
            HANG_MS,
          ),
      ],
      [
        'search doctors',
        () => send(app.baseUrl, { method: 'GET', url: '/api/v1/doctors' }, HANG_MS),
      ],
      [
        'book',
        () =>
          send(
            app.baseUrl,
            {
              method: 'POST',
              url: '/api/v1/appointments',
              token: patient.token,
              body: { doctorId: doctor.id, startsAt: slot() },
            },
            HANG_MS,
          ),
      ],
      ['readiness', () => send(app.baseUrl, { method: 'GET', url: '/health/ready' }, HANG_MS)],
    ];
    for (let i = id; running; i += 1) {
      const [what, call] = calls[i % calls.length];
      const startedAt = Date.now();
      try {
        const res = await call();
        const body = res.json as { code?: string } | undefined;
        samples.push({
          what,
          startedAt,
          endedAt: Date.now(),
          status: res.status,
          code: body?.code,
          problem: isProblem(res),
          retryAfter: res.headers.get('retry-after'),
        });
      } catch (error) {
        hangs.push(`${what}: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('answers 503 SERVICE_UNAVAILABLE while it is down, never 500 or a hang, and recovers by itself', async () => {
    const clients = [0, 1, 2, 3].map((id) => client(id));
    await new Promise((resolve) => setTimeout(resolve, 2000));

    const stopping = Date.now();
    await cluster.stop();
    const down = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const starting = Date.now();
    await cluster.start();
    await waitFor(
      async () =>
        (
          await send(app.baseUrl, {
            method: 'GET',
            url: '/api/v1/appointments',
            token: patient.token,
          })
        ).status === 200,
      { timeoutMs: 60_000, intervalMs: 250, what: 'the api to serve again after the restart' },
    );
    const back = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    running = false;
    await Promise.all(clients);

    const before = samples.filter((s) => s.endedAt < stopping);
    const whileDown = samples.filter((s) => s.startedAt > down && s.endedAt < starting);
    const after = samples.filter((s) => s.startedAt > back);
    const summary = (list: Sample[]) =>
      Object.entries(
        list.reduce<Record<string, number>>((acc, s) => {
          const key = `${s.status}${s.code ? ` ${s.code}` : ''}`;
          return { ...acc, [key]: (acc[key] ?? 0) + 1 };
        }, {}),
      )
        .map(([key, n]) => `${key}×${n}`)
        .join(', ');
    console.log(
      `PostgreSQL restart: ${samples.length} requests, slowest ${Math.max(...samples.map((s) => s.endedAt - s.startedAt))} ms; ` +
        `before: ${summary(before)}; while down: ${summary(whileDown)}; after: ${summary(after)}; ` +
        `around the stop and start: ${summary(samples.filter((s) => !before.includes(s) && !whileDown.includes(s) && !after.includes(s)))}; ` +
        `serving again ${back - starting} ms after the start`,
    );

    expect(hangs).toEqual([]);
    expect(samples.filter((s) => s.status >= 500 && s.status !== 503)).toEqual([]);
    expect(before.filter((s) => s.status >= 300)).toEqual([]);
    expect(whileDown.length).toBeGreaterThan(20);
    expect(whileDown.filter((s) => s.status !== 503)).toEqual([]);
    const unavailable = whileDown.filter((s) => s.what !== 'readiness');
    expect(
      unavailable.filter((s) => !(s.problem && s.code === 'SERVICE_UNAVAILABLE' && s.retryAfter)),
    ).toEqual([]);
    expect(after.filter((s) => s.status >= 300)).toEqual([]);
    // Only 503s in the transitions too: a dropped connection is never a client error.
    expect(samples.filter((s) => s.status >= 300 && s.status !== 503)).toEqual([]);
  }, 180_000);

  it('keeps the worker going: every event recorded around the restart is relayed and emailed', async () => {
    const res = await send(app.baseUrl, {
      method: 'POST',
      url: '/api/v1/appointments',
      token: patient.token,
      body: { doctorId: doctor.id, startsAt: slot() },
    });
    expect(res.status).toBe(201);
    const pending = async () => {
      const [row]: { events: number; emails: number; sent: number }[] = await app.dataSource.query(
        `SELECT (SELECT count(*) FROM outbox_events WHERE published_at IS NULL)::int AS events,
                (SELECT count(*) FROM notifications WHERE channel = 'email')::int AS emails,
                (SELECT count(*) FROM notifications WHERE channel = 'email' AND status = 'sent')::int AS sent`,
      );
      return row;
    };
    await waitFor(
      async () => {
        const row = await pending();
        return row.events === 0 && row.emails > 0 && row.sent === row.emails;
      },
      {
        timeoutMs: 90_000,
        intervalMs: 500,
        what: 'every outbox event relayed and every email sent',
      },
    );
    await app.smtp.waitForMessage((m) => m.to.includes(patient.email.toLowerCase()), 10_000);
  }, 120_000);
});
