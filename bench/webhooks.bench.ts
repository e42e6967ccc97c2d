/**
 * `npm run bench:webhooks`: bookings fanned out to 10 webhook endpoints on a local receiver,
 * through the real worker (its own process) from the outbox to the receiver.
 *
 * Two phases on a fresh database: a burst of BENCH_WEBHOOK_BOOKINGS (1000) bookings, for
 * deliveries/s (all deliveries over the time from the first commit to the last delivery); then
 * the same number paced at BENCH_WEBHOOK_RATE bookings/s (50, i.e. 500 deliveries/s), for the
 * latency from each booking's commit to each delivery (p50/p95/max). Prints one table row and
 * writes bench/results/webhooks.json.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { dataSourceOptions } from '@app/database';
import { EventType, recordEvents } from '@app/queues';
import { WebhookSecrets } from '@app/webhooks/webhook-secrets';
import { BenchDatabase } from './lib/bench-database';
import { ROOT, sleep, stopProcess } from './lib/processes';

const number = (name: string, fallback: number) =>
  process.env[name] ? Number(process.env[name]) : fallback;
const BOOKINGS = number('BENCH_WEBHOOK_BOOKINGS', 1000);
const RATE = number('BENCH_WEBHOOK_RATE', 50);
const ENDPOINTS = 10;
const POSTGRES_URL =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SLOT_MS = 15 * 60_000;

interface Phase {
  bookings: number;
  deliveries: number;
  seconds: number;
  deliveriesPerSecond: number;
  latencyMs: { p50: number; p95: number; max: number };
}

/** Counts deliveries per (endpoint, webhook-id) and keeps when the first copy arrived. */
class Receiver {
  readonly arrivals = new Map<string, number>();
  url = '';

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        const key = `${req.url} ${String(req.headers['webhook-id'])}`;
        if (!receiver.arrivals.has(key)) receiver.arrivals.set(key, Date.now());
        res.writeHead(204).end();
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return receiver;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** The booking emails the worker also sends go here, accepted and dropped. */
async function startSmtpSink(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('end', () => callback());
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function main(): Promise<void> {
  const database = await BenchDatabase.create(POSTGRES_URL);
  const smtp = await startSmtpSink();
  const prefix = `bench-wh-${randomBytes(4).toString('hex')}`;
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    OUTBOUND_ALLOW_PRIVATE: 'true',
    // info: the product's default, and the level that says "Worker started".
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    SMTP_URL: smtp.url,
  };
  const config = AppConfig.fromEnv({ ...process.env, ...env });
  const db = await new DataSource(
    dataSourceOptions(database.url, { logging: ['error'], poolSize: 20 }),
  ).initialize();
  const receiver = await Receiver.start();
  let worker: ReturnType<typeof spawn> | undefined;
  try {
    const [doctor] = await db.query(
      `INSERT INTO users (email, first_name, last_name, role) VALUES ($1, 'Bench', 'Doctor', 'doctor') RETURNING id`,
      [`bench-doctor-${prefix}@example.test`],
    );
    const secrets = new WebhookSecrets(config);
    for (let i = 0; i < ENDPOINTS; i += 1) {
      await db.query(
        `INSERT INTO webhook_endpoints (owner_id, url, events, secret_ciphertext) VALUES ($1, $2, '{appointment.booked}', $3)`,
        [
          doctor.id,
          `${receiver.url}/e${i}`,
          secrets.seal(`whsec_${randomBytes(24).toString('base64')}`),
        ],
      );
    }
    const patients: { id: string }[] = await db.query(
      `INSERT INTO users (email, first_name, last_name, role)
       SELECT 'bench-patient-' || g || '-' || $1 || '@example.test', 'Pat', 'P' || g, 'patient'
         FROM generate_series(1, $2) g RETURNING id`,
      [prefix, 2 * BOOKINGS],
    );

    worker = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        join(ROOT, 'apps/worker/src/main.ts'),
      ],
      { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    worker.stdout?.on(
      'data',
      (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)),
    );
    const startedAt = Date.now();
    while (!output.includes('Worker started')) {
      if (worker.exitCode !== null || Date.now() - startedAt > 90_000) {
        throw new Error(`worker did not start: ${output.slice(-2000)}`);
      }
      await sleep(100);
    }

    const base = Math.ceil(Date.now() / SLOT_MS) * SLOT_MS + 2 * 86_400_000;
    let slot = 0;
    const committedAt = new Map<string, number>();
    const book = async (patientId: string) => {
      const startsAt = new Date(base + slot++ * SLOT_MS);
      await db
        .transaction(async (manager) => {
          const [row] = await manager.query(
            `INSERT INTO appointments (doctor_id, patient_id, starts_at, ends_at, status, fee_minor, currency)
           VALUES ($1, $2, $3, $4, 'confirmed', 0, 'USD') RETURNING id`,
            [doctor.id, patientId, startsAt, new Date(startsAt.getTime() + SLOT_MS)],
          );
          const [eventId] = await recordEvents(manager, [
            { type: EventType.AppointmentBooked, payload: { appointmentId: row.id } },
          ]);
          committedAt.set(eventId, 0);
          return eventId;
        })
        .then((eventId) => committedAt.set(eventId, Date.now()));
    };

    const measure = async (from: number, to: number, paced: boolean): Promise<Phase> => {
      const first = Date.now();
      const inFlight: Promise<unknown>[] = [];
      for (let i = from; i < to; i += 1) {
        if (paced) {
          const due = first + ((i - from) * 1000) / RATE;
          if (due > Date.now()) await sleep(due - Date.now());
          inFlight.push(book(patients[i].id));
        } else {
          inFlight.push(book(patients[i].id));
          if (inFlight.length % 20 === 0) await Promise.all(inFlight.slice(-20));
        }
      }
      await Promise.all(inFlight);
      const expected = to * ENDPOINTS;
      const deadline = Date.now() + 300_000;
      while (receiver.arrivals.size < expected) {
        if (Date.now() > deadline) {
          throw new Error(`only ${receiver.arrivals.size} of ${expected} deliveries arrived`);
        }
        await sleep(20);
      }
      const ids = new Set([...committedAt.keys()].slice(from, to));
      const lags: number[] = [];
      let last = 0;
      for (const [key, at] of receiver.arrivals) {
        const eventId = key.split(' ')[1];
        const committed = committedAt.get(eventId);
        if (!committed || !ids.has(eventId)) continue;
        lags.push(at - committed);
        last = Math.max(last, at);
      }
      lags.sort((a, b) => a - b);
      const seconds = (last - first) / 1000;
      return {
        bookings: to - from,
        deliveries: lags.length,
        seconds,
        deliveriesPerSecond: lags.length / seconds,
        latencyMs: {
          p50: percentile(lags, 50),
          p95: percentile(lags, 95),
          max: lags.at(-1) ?? NaN,
        },
      };
    };

    const burst = await measure(0, BOOKINGS, false);
    const paced = await measure(BOOKINGS, 2 * BOOKINGS, true);
    // Where the time goes: event committed → delivery row (fan-out), row → attempt (delivery).
    const [split] = await db.query(
      `SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM d.created_at - o.created_at)) * 1000 AS "fanoutP95Ms",
              percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM d.last_attempt_at - d.created_at)) * 1000 AS "deliveryP95Ms"
         FROM webhook_deliveries d JOIN outbox_events o ON o.id = d.event_id`,
    );
    const result = {
      at: new Date().toISOString(),
      endpoints: ENDPOINTS,
      endpointConcurrency: config.webhooks.endpointConcurrency,
      rate: RATE,
      burst,
      paced,
      split,
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'webhooks.json'), JSON.stringify(result, null, 2));
    const f = (n: number) => Math.round(n);
    process.stdout.write(
      `| webhooks: ${BOOKINGS} bookings × ${ENDPOINTS} endpoints | ` +
        `burst ${f(burst.deliveriesPerSecond)} deliveries/s (${burst.deliveries} in ${burst.seconds.toFixed(1)} s); ` +
        `at ${RATE} bookings/s commit→delivery p50 ${f(paced.latencyMs.p50)} ms, p95 ${f(paced.latencyMs.p95)} ms, max ${f(paced.latencyMs.max)} ms ` +
        `(p95 fan-out ${f(split.fanoutP95Ms)} ms, row→attempt ${f(split.deliveryP95Ms)} ms) |\n`,
    );
  } finally {
    if (worker) await stopProcess(worker);
    await db.destroy();
    await database.drop();
    await smtp.close();
    const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `webhook bench failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  },
);
