/**
 * `npm run bench`: the api (production build) against the bare baseline on a fresh,
 * seeded database, interleaved run by run, plus the pure slot function, cold start, the
 * outbox relay, booking → job pickup and peak memory. Prints a table, writes
 * bench/results/latest.json and the figures section of BENCHMARKS.md.
 *
 * Knobs (environment): BENCH_DURATION seconds per run (5), BENCH_WARMUP seconds (2),
 * BENCH_CONNECTIONS (50), BENCH_ROUNDS (3), BENCH_BOOKINGS requests per booking run (2000),
 * BENCH_BOOKING_RATE (30 per second, with the worker on) for BENCH_BOOKING_RATE_SECONDS (10),
 * BENCH_RELAY_EVENTS (20000), BENCH_LOG_LEVEL (info, the product's default),
 * BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL,
 * BENCH_CHECK_ONLY=1 (seed, start both servers, run the parity check, stop: no load).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { DateTime } from 'luxon';
import jwt from 'jsonwebtoken';
import { SMTPServer } from 'smtp-server';
import { JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from '@app/auth/auth-user';
import { DAY_MS, formatLocalDate } from '@app/booking/slots/local-time';
import type { LoadJob, LoadRequests, LoadResult } from './load-client';
import { BenchDatabase } from './lib/bench-database';
import { measureRelay, PickupWatch, settleOutbox } from './lib/outbox';
import {
  baselineArgs,
  cpuMsOf,
  memoryOf,
  ROOT,
  runLoadInChild,
  sampleRss,
  Server,
  sleep,
  startProcess,
  stopProcess,
  waitForOk,
} from './lib/processes';
import {
  commit,
  goals,
  latency,
  machine,
  median,
  renderTables,
  Results,
  ScenarioResult,
  summarize,
  writeResults,
} from './lib/report';
import { FEED_APPOINTMENTS, seedCalendarFeed } from './lib/calendar-feed';
import { Booking, bookingPool, seed } from './lib/seed';
import { benchSlotEngine } from './slot-engine.bench';

const number = (name: string, fallback: number) =>
  process.env[name] ? Number(process.env[name]) : fallback;
const SETTINGS = {
  duration: number('BENCH_DURATION', 5),
  warmup: number('BENCH_WARMUP', 2),
  connections: number('BENCH_CONNECTIONS', 50),
  rounds: number('BENCH_ROUNDS', 3),
  bookingsPerRun: number('BENCH_BOOKINGS', 2000),
  bookingRate: number('BENCH_BOOKING_RATE', 30),
  bookingRateSeconds: number('BENCH_BOOKING_RATE_SECONDS', 10),
  relayEvents: number('BENCH_RELAY_EVENTS', 20_000),
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
};
/** Seed, start both servers, check parity, stop: no load, no figures written. */
const CHECK_ONLY = process.env.BENCH_CHECK_ONLY === '1';
const POSTGRES_URL =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const API_MAIN = join(ROOT, 'dist', 'apps', 'api', 'apps', 'api', 'src', 'main.js');
const WORKER_MAIN = join(ROOT, 'dist', 'apps', 'worker', 'apps', 'worker', 'src', 'main.js');
const API_PORT = number('BENCH_API_PORT', 3810);
const BASELINE_PORT = number('BENCH_BASELINE_PORT', 3811);
const WORKER_HEALTH_PORT = number('BENCH_WORKER_HEALTH_PORT', 3812);

function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

/** Newest modification time of the sources a build compiles. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.hbs'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuild(): void {
  const built = (file: string) => {
    try {
      return statSync(file).mtimeMs;
    } catch {
      return 0;
    }
  };
  const sources = Math.max(
    newestSource(join(ROOT, 'apps')),
    newestSource(join(ROOT, 'libs')),
    ...['tsconfig.json', 'nest-cli.json', 'package-lock.json'].map(
      (f) => statSync(join(ROOT, f)).mtimeMs,
    ),
  );
  if (Math.min(built(API_MAIN), built(WORKER_MAIN)) > sources) return;
  log('building api and worker (dist missing or older than the sources)…');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

interface Context {
  db: BenchDatabase;
  prefix: string;
  jwtSecret: string;
  smtpUrl: string;
  logDir: string;
}

function productEnv(ctx: Context, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: ctx.db.url,
    REDIS_URL,
    QUEUE_PREFIX: ctx.prefix,
    JWT_SECRET: ctx.jwtSecret,
    SMTP_URL: ctx.smtpUrl,
    LOG_LEVEL: SETTINGS.logLevel,
    // Far above the load, so the limiter runs on every request but never rejects one.
    RATE_LIMIT_PER_MINUTE: '1000000000',
    RUN_MIGRATIONS: 'true',
    HOST: '127.0.0.1',
    ...extra,
  };
  delete env.ADMIN_EMAIL;
  delete env.ADMIN_PASSWORD;
  return env;
}

async function startApi(ctx: Context, name = 'api'): Promise<Server & { readyMs: number }> {
  const { process: child, logFile } = startProcess(
    name,
    [API_MAIN],
    productEnv(ctx, { PORT: String(API_PORT) }),
    ctx.logDir,
  );
  const url = `http://127.0.0.1:${API_PORT}`;
  const readyMs = await waitForOk(`${url}/health/ready`, child);
  return { name, url, process: child, logFile, readyMs };
}

async function startBaseline(ctx: Context): Promise<Server> {
  const { process: child, logFile } = startProcess(
    'baseline',
    baselineArgs(),
    productEnv(ctx, { PORT: String(BASELINE_PORT) }),
    ctx.logDir,
  );
  const url = `http://127.0.0.1:${BASELINE_PORT}`;
  await waitForOk(`${url}/health/ready`, child);
  return { name: 'baseline', url, process: child, logFile };
}

async function startWorker(ctx: Context): Promise<Server> {
  const { process: child, logFile } = startProcess(
    'worker',
    [WORKER_MAIN],
    productEnv(ctx, { WORKER_HEALTH_PORT: String(WORKER_HEALTH_PORT) }),
    ctx.logDir,
  );
  const url = `http://127.0.0.1:${WORKER_HEALTH_PORT}`;
  await waitForOk(`${url}/health`, child);
  return { name: 'worker', url, process: child, logFile };
}

/** Signed access tokens as the api issues them, one per patient. */
function tokens(ctx: Context): (patientId: string) => string {
  const cache = new Map<string, string>();
  return (patientId) => {
    let token = cache.get(patientId);
    if (!token) {
      token = jwt.sign({ sub: patientId, role: 'patient', ver: 0, typ: 'access' }, ctx.jwtSecret, {
        algorithm: JWT_ALGORITHM,
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        expiresIn: 3600,
      });
      cache.set(patientId, token);
    }
    return token;
  };
}

class BookingSource {
  private next = 0;
  private readonly tokenOf: (patientId: string) => string;

  constructor(
    ctx: Context,
    private readonly pool: Booking[],
  ) {
    this.tokenOf = tokens(ctx);
  }

  take(count: number): LoadRequests {
    const slice = this.pool.slice(this.next, this.next + count);
    if (slice.length < count) throw new Error('booking pool exhausted');
    this.next += count;
    return {
      kind: 'bookings',
      path: '/api/v1/appointments',
      items: slice.map((b) => ({
        token: this.tokenOf(b.patientId),
        body: JSON.stringify({ doctorId: b.doctorId, startsAt: b.startsAt }),
      })),
    };
  }

  one(): Booking {
    const booking = this.pool[this.next++];
    if (!booking) throw new Error('booking pool exhausted');
    return booking;
  }

  token(patientId: string): string {
    return this.tokenOf(patientId);
  }
}

interface Scenario {
  key: string;
  title: string;
  /** Requests for one run (fresh ones each time for bookings). */
  requests: (warmup: boolean) => LoadRequests;
  /** Fixed number of requests per run instead of a duration. */
  amount?: (warmup: boolean) => number;
  /** Compare with these requests to the api itself instead of the baseline (FHIR vs REST). */
  versusApp?: () => LoadRequests;
}

function loadJob(
  scenario: Scenario,
  url: string,
  warmup: boolean,
  requests = scenario.requests(warmup),
): LoadJob {
  const amount = scenario.amount?.(warmup);
  return {
    url,
    connections: SETTINGS.connections,
    duration: amount ? undefined : warmup ? SETTINGS.warmup : SETTINGS.duration,
    amount,
    requests,
  };
}

async function runScenario(
  scenario: Scenario,
  app: Server,
  baseline: Server,
  onRun?: (target: 'app' | 'baseline', phase: 'start' | 'end') => void,
): Promise<ScenarioResult> {
  log(`${scenario.title}: warm-up`);
  // The "baseline" column of a versusApp scenario is the api answering the other requests.
  const other = (warmup: boolean) =>
    scenario.versusApp
      ? loadJob(scenario, app.url, warmup, scenario.versusApp())
      : loadJob(scenario, baseline.url, warmup);
  await runLoadInChild(loadJob(scenario, app.url, true));
  await runLoadInChild(other(true));
  const runs: Record<'app' | 'baseline', LoadResult[]> = { app: [], baseline: [] };
  for (let round = 1; round <= SETTINGS.rounds; round++) {
    for (const target of ['app', 'baseline'] as const) {
      onRun?.(target, 'start');
      const result = await runLoadInChild(
        target === 'app' ? loadJob(scenario, app.url, false) : other(false),
      );
      onRun?.(target, 'end');
      runs[target].push(result);
      const codes = Object.entries(result.statusCodes)
        .filter(([code]) => !code.startsWith('2'))
        .map(([code, count]) => `${count}×${code}`);
      log(
        `${scenario.title} round ${round} ${target}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, ` +
          `p99 ${result.p99.toFixed(1)} ms, errors ${result.errors + result.timeouts}, non-2xx ${result.non2xx}` +
          (codes.length ? ` (${codes.join(', ')})` : ''),
      );
    }
  }
  const appMedian = summarize(runs.app);
  const baselineMedian = summarize(runs.baseline);
  return {
    title: scenario.title,
    app: { runs: runs.app, median: appMedian },
    baseline: { runs: runs.baseline, median: baselineMedian },
    ratio: {
      rps: appMedian.rps / baselineMedian.rps,
      p50: appMedian.p50 / baselineMedian.p50,
      p99: appMedian.p99 / baselineMedian.p99,
    },
  };
}

async function postBooking(app: Server, bookings: BookingSource): Promise<string> {
  const booking = bookings.one();
  const response = await fetch(`${app.url}/api/v1/appointments`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${bookings.token(booking.patientId)}`,
    },
    body: JSON.stringify({ doctorId: booking.doctorId, startsAt: booking.startsAt }),
  });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 201 || !body.id) throw new Error(`booking answered ${response.status}`);
  return body.id;
}

/**
 * A 12-occurrence weekly series (`POST /appointment-series`, all or nothing in one
 * transaction) against single bookings, sequential on the same api: p95 of each and their
 * ratio. Conflicting series (409, a week already taken) count apart; the api has no baseline
 * twin for it, so the ratio is series / single. Written to bench/results/series-latest.json.
 */
async function measureSeriesBooking(app: Server, bookings: BookingSource, runs = 40) {
  const timed = async (path: string, token: string, body: unknown) => {
    const at = performance.now();
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    return { ms: performance.now() - at, status: response.status };
  };
  const series: number[] = [];
  const single: number[] = [];
  let conflicts = 0;
  for (let i = 0; i < runs; i++) {
    const b = bookings.one();
    const s = await timed('/api/v1/appointment-series', bookings.token(b.patientId), {
      doctorId: b.doctorId,
      startsAt: b.startsAt,
      repeat: { every: 1, unit: 'week' },
      count: 12,
    });
    if (s.status === 201) series.push(s.ms);
    else if (s.status === 409) conflicts += 1;
    else throw new Error(`series booking answered ${s.status}`);
    const one = bookings.one();
    const o = await timed('/api/v1/appointments', bookings.token(one.patientId), {
      doctorId: one.doctorId,
      startsAt: one.startsAt,
    });
    if (o.status === 201) single.push(o.ms);
  }
  const p95 = (values: number[]) =>
    values.length ? [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1] : NaN;
  const result = {
    occurrences: 12,
    booked: series.length,
    conflicts,
    seriesP95Ms: p95(series),
    singleP95Ms: p95(single),
    ratio: p95(series) / p95(single),
  };
  log(
    `POST /appointment-series (12 weekly): p95 ${result.seriesP95Ms.toFixed(1)} ms vs single ${result.singleP95Ms.toFixed(1)} ms ` +
      `(×${result.ratio.toFixed(1)}), ${result.booked} booked, ${conflicts} conflicts`,
  );
  writeFileSync(
    join(__dirname, 'results', 'series-latest.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  return result;
}

/**
 * The baseline must answer what the api answers, or the ratios compare different work:
 * byte-identical bodies for the slots and directory paths of the scenarios (asked again
 * once if they differ, in case a slot crossed the minimum notice between the two), and a
 * booking made through each whose answer is byte-identical to the api's
 * `GET /appointments/:id` of the same row. Throws on the first difference.
 */
async function checkParity(
  app: Server,
  baseline: Server,
  paths: string[],
  bookings: BookingSource,
): Promise<void> {
  const text = async (server: Server, path: string, token?: string) => {
    const response = await fetch(`${server.url}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return `${response.status} ${await response.text()}`;
  };
  const compare = (what: string, a: string, b: string) => {
    if (a === b) return;
    let at = 0;
    while (at < a.length && a[at] === b[at]) at++;
    throw new Error(
      `parity: ${what} differs at ${at}:\n  app      ${a.slice(Math.max(0, at - 80), at + 120)}\n` +
        `  baseline ${b.slice(Math.max(0, at - 80), at + 120)}`,
    );
  };
  for (const path of paths) {
    let [a, b] = await Promise.all([text(app, path), text(baseline, path)]);
    if (a !== b) [a, b] = await Promise.all([text(app, path), text(baseline, path)]);
    compare(path, a, b);
    if (!a.startsWith('200 ')) throw new Error(`parity: ${path} answered ${a.slice(0, 200)}`);
  }
  for (const server of [app, baseline]) {
    const booking = bookings.one();
    const token = bookings.token(booking.patientId);
    const response = await fetch(`${server.url}/api/v1/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ doctorId: booking.doctorId, startsAt: booking.startsAt }),
    });
    const created = await response.text();
    if (response.status !== 201)
      throw new Error(`parity: ${server.name} booking answered ${response.status} ${created}`);
    const { id } = JSON.parse(created) as { id: string };
    const read = await text(app, `/api/v1/appointments/${id}`, token);
    compare(`${server.name}'s booking against the api's read of it`, read, `200 ${created}`);
  }
  log(`parity: ${paths.length} paths byte-identical; bookings answer as the api reads them`);
}

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

async function cleanRedis(prefix: string): Promise<void> {
  const redis = new IORedis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  ensureBuild();

  log('pure slot function…');
  const slotEngine = benchSlotEngine();

  const now = new Date();
  const db = await BenchDatabase.create(POSTGRES_URL);
  const smtp = await startSmtpSink();
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const client = await db.client();
  const servers: Server[] = [];
  const logDir = mkdtempSync(join(tmpdir(), 'doctor-bench-'));
  let succeeded = false;
  try {
    log(`database ${db.name}: seeding…`);
    const seeded = await seed(client, now);
    const feedPath = await seedCalendarFeed(client, now);
    const ctx: Context = {
      db,
      prefix,
      jwtSecret: randomBytes(32).toString('hex'),
      smtpUrl: smtp.url,
      logDir,
    };
    const perServer = SETTINGS.rounds * SETTINGS.bookingsPerRun + 300;
    const pacedBookings = SETTINGS.bookingRate * SETTINGS.bookingRateSeconds;
    const bookings = new BookingSource(
      ctx,
      bookingPool(seeded, now, 2 * perServer + pacedBookings + 200),
    );

    log('api cold start…');
    const coldRuns: number[] = [];
    for (let i = 0; i < (CHECK_ONLY ? 0 : 3); i++) {
      const api = await startApi(ctx, `api-cold-${i + 1}`);
      coldRuns.push(api.readyMs);
      await stopProcess(api.process);
    }

    let app = await startApi(ctx);
    servers.push(app);
    const baseline = await startBaseline(ctx);
    servers.push(baseline);

    const tomorrow = Math.floor(now.getTime() / DAY_MS) + 1;
    // Every third doctor is asked for its long consultation (two grid steps, buffers), the
    // others for their default type (with 5 minutes after it for every other doctor).
    const slotPaths = (days: number) =>
      seeded.doctors.map(
        (d, i) =>
          `/api/v1/doctors/${d.id}/slots?from=${formatLocalDate(tomorrow)}&to=${formatLocalDate(tomorrow + days - 1)}` +
          (i % 3 === 2 ? `&visitTypeId=${d.longType.id}` : ''),
      );
    const directoryPaths = seeded.specialtyIds.map((id) => `/api/v1/doctors?specialty=${id}`);
    await checkParity(
      app,
      baseline,
      [...slotPaths(7).slice(0, 12), ...slotPaths(31).slice(0, 12), ...directoryPaths],
      bookings,
    );
    if (CHECK_ONLY) {
      succeeded = true;
      return;
    }
    // The same ranges as slotPaths: the doctor's local midnights, as instants with their offset.
    const fhirSlotPaths = (days: number) =>
      seeded.doctors.map((d) => {
        const from = DateTime.fromISO(formatLocalDate(tomorrow), { zone: d.timezone });
        const bound = (at: DateTime) =>
          encodeURIComponent(at.toISO({ suppressMilliseconds: true })!);
        return `/fhir/R4/Slot?schedule=Schedule/${d.defaultType.id}&start=ge${bound(from)}&start=lt${bound(from.plus({ days }))}`;
      });
    const scenarios: Scenario[] = [
      {
        key: 'health',
        title: 'GET /health/live',
        requests: () => ({ kind: 'paths', method: 'GET', paths: ['/health/live'] }),
      },
      {
        key: 'slots7',
        title: 'GET /doctors/:id/slots, 7 days',
        requests: () => ({ kind: 'paths', method: 'GET', paths: slotPaths(7) }),
      },
      {
        key: 'slots31',
        title: 'GET /doctors/:id/slots, 31 days',
        requests: () => ({ kind: 'paths', method: 'GET', paths: slotPaths(31) }),
      },
      {
        // SPEC §6 / issue 19: the FHIR facade over the same slot engine, ≥ 0.8× REST.
        key: 'fhirSlots7',
        title: 'GET /fhir/R4/Slot, 7 days (baseline column: REST slots on the api)',
        requests: () => ({ kind: 'paths', method: 'GET', paths: fhirSlotPaths(7) }),
        versusApp: () => ({ kind: 'paths', method: 'GET', paths: slotPaths(7) }),
      },
      {
        key: 'doctors',
        title: 'GET /doctors?specialty=',
        requests: () => ({
          kind: 'paths',
          method: 'GET',
          paths: directoryPaths,
        }),
      },
      {
        key: 'calendarFeed',
        title: `GET /calendar/:feed.ics, ${FEED_APPOINTMENTS} appointments`,
        requests: () => ({ kind: 'paths', method: 'GET', paths: [feedPath] }),
      },
      {
        key: 'booking',
        title: 'POST /appointments',
        requests: (warmup) => bookings.take(warmup ? 300 : SETTINGS.bookingsPerRun),
        amount: (warmup) => (warmup ? 300 : SETTINGS.bookingsPerRun),
      },
    ];
    const results: Record<string, ScenarioResult> = {};
    let stopSampling: (() => Record<string, number>) | undefined;
    const apiPeaks: number[] = [];
    for (const scenario of scenarios) {
      if (scenario.key === 'booking') {
        // A fresh api, so its peak RSS is that of the booking load, not of a month of slots.
        await stopProcess(app.process);
        app = await startApi(ctx);
        servers.push(app);
      }
      // The api's RSS is sampled while it takes the booking load.
      const onRun =
        scenario.key === 'booking'
          ? (target: 'app' | 'baseline', phase: 'start' | 'end') => {
              if (target !== 'app') return;
              if (phase === 'start') stopSampling = sampleRss({ api: app.process.pid! });
              else apiPeaks.push(stopSampling!().api);
            }
          : undefined;
      results[scenario.key] = await runScenario(scenario, app, baseline, onRun);
    }
    await measureSeriesBooking(app, bookings);
    await stopProcess(baseline.process);

    log('worker: booking → job pickup and memory under booking load…');
    await settleOutbox(client);
    const watch = await PickupWatch.start(REDIS_URL, prefix);
    const worker = await startWorker(ctx);
    servers.push(worker);
    const idleIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      idleIds.push(await postBooking(app, bookings));
      await sleep(150);
    }
    const idle = await watch.latencies(client, idleIds);
    const markerRow = await client.query<{ at: Date }>('SELECT now() AS at');
    const stopWorkerSampling = sampleRss({ api: app.process.pid!, worker: worker.process.pid! });
    const cpuBefore = { api: cpuMsOf(app.process.pid!), worker: cpuMsOf(worker.process.pid!) };
    const load = await runLoadInChild({
      url: app.url,
      connections: 0,
      pacedRate: SETTINGS.bookingRate,
      requests: bookings.take(pacedBookings),
    });
    const { rows: loadRows } = await client.query<{ id: string }>(
      `SELECT id FROM appointments WHERE created_at >= $1 AND status IN ('pending_payment', 'confirmed')`,
      [markerRow.rows[0].at],
    );
    const underLoad = await watch.latencies(
      client,
      loadRows.map((row) => row.id),
      120_000,
    );
    const peaks = stopWorkerSampling();
    const cpuPerBooking = {
      apiMs: (cpuMsOf(app.process.pid!) - cpuBefore.api) / pacedBookings,
      workerMs: (cpuMsOf(worker.process.pid!) - cpuBefore.worker) / pacedBookings,
    };
    log(
      `booking at ${SETTINGS.bookingRate}/s with the worker: ${load.rps.toFixed(0)} req/s, p50 ${load.p50.toFixed(1)} ms, ` +
        `p99 ${load.p99.toFixed(1)} ms, non-2xx ${load.non2xx}; ${underLoad.length}/${loadRows.length} event jobs seen`,
    );
    const memory = {
      apiPeakRssMb: Math.max(peaks.api, ...apiPeaks),
      workerPeakRssMb: peaks.worker,
      apiHwmMb: memoryOf(app.process.pid!).hwmMb,
      workerHwmMb: memoryOf(worker.process.pid!).hwmMb,
    };
    await watch.close();
    await stopProcess(worker.process);
    await stopProcess(app.process);

    log(`outbox relay: ${SETTINGS.relayEvents} events…`);
    const relay = await measureRelay(client, db.url, REDIS_URL, SETTINGS.relayEvents);

    const versions = await client.query<{ server_version: string }>('SHOW server_version');
    const redis = new IORedis(REDIS_URL);
    const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
    redis.disconnect();
    const partial: Omit<Results, 'goals'> = {
      date: new Date().toISOString(),
      commit: commit(),
      machine: {
        ...machine(),
        postgres: `PostgreSQL ${versions.rows[0].server_version}`,
        redis: redisVersion,
      },
      settings: { ...SETTINGS, totalSeconds: 0 },
      scenarios: results,
      slotEngine,
      coldStart: { runsMs: coldRuns, medianMs: median(coldRuns) },
      relay,
      pickup: { idle: latency(idle), underLoad: latency(underLoad) },
      bookingPaced: { rate: SETTINGS.bookingRate, cpuPerBooking, ...load },
      memory,
    };
    partial.settings.totalSeconds = Math.round((Date.now() - started) / 1000);
    const report: Results = { ...partial, goals: goals(partial) };
    writeResults(report);
    process.stdout.write(
      `\n${renderTables(report)}\n\nWritten: bench/results/latest.json, BENCHMARKS.md\n`,
    );
    succeeded = true;
  } finally {
    for (const server of servers) await stopProcess(server.process).catch(() => undefined);
    await client.end().catch(() => undefined);
    await db.drop().catch((error: unknown) => log(`could not drop ${db.name}: ${String(error)}`));
    await cleanRedis(prefix).catch(() => undefined);
    await smtp.close();
    // A run logs a line per request (tens of MB): kept only when it failed.
    if (succeeded) rmSync(logDir, { recursive: true, force: true });
    else log(`server logs kept in ${logDir}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
