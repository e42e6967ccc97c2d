/**
 * The bare baseline: Fastify + pg, no Nest, no ORM. It answers the benchmarked requests
 * with the work the product does for them — JWT check with the user lookup, the rate-limit
 * counter in Redis, the same queries, the same slot function, the booking transaction,
 * the audit row, one log line per request — written as directly as possible.
 * Left out: helmet and CORS headers, the metrics histogram, Swagger.
 */
import { createHash, createSecretKey, randomUUID } from 'node:crypto';
import Fastify, { FastifyReply, FastifyRequest } from 'fastify';
import Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import { DateTime } from 'luxon';
import { Pool, PoolClient } from 'pg';
import pino from 'pino';
import { isUuid } from '@app/common/ids';
import { parseEnv } from '@app/config/env.schema';
// The product's rate-limit script (fixed window, block past the limit), so Redis does the same work.
import { HIT_SCRIPT } from '@app/auth/rate-limit/hit-script';
import { DAY_MS, formatInstant, MINUTE_MS, parseLocalDate } from '@app/booking/slots/local-time';
import {
  computeFreeSlots,
  firstFreeSlot,
  Interval,
  SlotQuery,
  WeeklyRule,
} from '@app/booking/slots/slot-engine';

const env = parseEnv(process.env);
const jwtKey = createSecretKey(Buffer.from(env.JWT_SECRET));
const pool = new Pool({ connectionString: env.DATABASE_URL, max: 20 });
const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
const log = pino({ level: env.LOG_LEVEL, base: { service: 'baseline' } });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const QUIET = /^\/(health|metrics)(\/|\?|$)/;
const LIVE = ['pending_approval', 'pending_payment', 'confirmed'];
const NEXT_AVAILABLE_LOOKAHEAD_DAYS = 14;
/** Longest buffer a visit type may have: how far outside a range other bookings matter. */
const MAX_BUFFER_MS = 120 * MINUTE_MS;
const HOUR_MS = 60 * MINUTE_MS;

class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

interface Caller {
  id: string;
  role: string;
}

interface DoctorRow {
  user_id: string;
  fee_minor: number;
  currency: string;
  slot_duration_minutes: number;
  timezone: string;
}

/** What the slot engine needs of a visit type. */
interface TypeTimes {
  duration_minutes: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
}

/** A visit type as the api's repository loads it (every column). */
interface VisitTypeRow extends TypeTimes {
  id: string;
  doctor_id: string;
  name: string;
  description: string | null;
  price_minor: number;
  currency: string;
  mode: string;
  location: string | null;
  requires_approval: boolean;
  approval_deadline_hours: number;
  change_cutoff_hours: number;
  questions: unknown[];
  position: number;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

const app = Fastify({
  logger: false,
  genReqId: (req) => {
    const header = req.headers['x-request-id'];
    return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  },
});

app.addHook('onRequest', async (request, reply) => {
  reply.header('X-Request-Id', request.id);
});
app.addHook('onResponse', async (request, reply) => {
  if (QUIET.test(request.url)) return;
  log.info(
    {
      req: { id: request.id, method: request.method, url: request.url.split('?')[0] },
      res: { statusCode: reply.statusCode },
      responseTime: Math.round(reply.elapsedTime),
    },
    'request completed',
  );
});
app.setErrorHandler((error, request, reply) => {
  if (error instanceof Problem) return sendProblem(reply, request, error);
  log.error({ err: error }, 'Unhandled error');
  return sendProblem(
    reply,
    request,
    new Problem(500, 'INTERNAL', `Internal error; quote request id ${request.id}`),
  );
});

function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: Problem) {
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({
      type: `https://doctor-appointment.dev/problems/${problem.code.toLowerCase().replace(/_/g, '-')}`,
      title: problem.code,
      status: problem.status,
      detail: problem.message,
      code: problem.code,
      instance: request.url.split('?')[0],
      requestId: String(request.id),
    });
}

async function rateLimit(reply: FastifyReply, tracker: string): Promise<void> {
  const digest = createHash('sha256').update(tracker).digest('hex');
  const key = `${env.QUEUE_PREFIX}:rate:default:{default:all:${digest}}`;
  const limit = env.RATE_LIMIT_PER_MINUTE;
  const [hits, left, blocked] = (await redis.eval(
    HIT_SCRIPT,
    2,
    key,
    `${key}:blocked`,
    60_000,
    limit,
    60_000,
  )) as number[];
  if (blocked === 1) throw new Problem(429, 'RATE_LIMITED', 'Too many requests');
  reply.header('X-RateLimit-Limit', limit);
  reply.header('X-RateLimit-Remaining', Math.max(0, limit - hits));
  reply.header('X-RateLimit-Reset', Math.ceil(left / 1000));
}

async function authenticate(request: FastifyRequest): Promise<Caller> {
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  let claims: { sub?: unknown; role?: unknown; ver?: unknown; typ?: unknown };
  try {
    if (!token) throw new Error('no token');
    claims = jwt.verify(token, jwtKey, {
      algorithms: ['HS256'],
      issuer: 'doctor-appointment',
      audience: 'doctor-appointment-api',
    }) as typeof claims;
  } catch {
    throw new Problem(401, 'UNAUTHENTICATED', 'A valid access token is required');
  }
  if (claims.typ !== 'access' || typeof claims.sub !== 'string') {
    throw new Problem(401, 'UNAUTHENTICATED', 'A valid access token is required');
  }
  const { rows } = await pool.query<{
    id: string;
    role: string;
    deactivated_at: Date | null;
    token_version: number;
  }>('SELECT id, role, deactivated_at, token_version FROM users WHERE id = $1', [claims.sub]);
  const user = rows[0];
  if (
    !user ||
    user.deactivated_at ||
    user.token_version !== claims.ver ||
    user.role !== claims.role
  ) {
    throw new Problem(401, 'UNAUTHENTICATED', 'A valid access token is required');
  }
  return { id: user.id, role: user.role };
}

async function doctorForBooking(doctorId: string): Promise<DoctorRow> {
  const { rows } = isUuid(doctorId)
    ? await pool.query<DoctorRow>(
        `SELECT p.user_id, p.fee_minor, p.currency, p.slot_duration_minutes, p.timezone
           FROM doctor_profiles p JOIN users u ON u.id = p.user_id
          WHERE p.user_id = $1 AND p.active AND u.deactivated_at IS NULL AND u.role = 'doctor'`,
        [doctorId],
      )
    : { rows: [] };
  if (!rows[0]) throw new Problem(404, 'NOT_FOUND', 'Doctor not found');
  return rows[0];
}

const VISIT_TYPE_COLUMNS = `id, doctor_id, name, description, duration_minutes, price_minor, currency,
  buffer_before_minutes, buffer_after_minutes, mode, location, requires_approval, approval_deadline_hours,
  change_cutoff_hours, questions, position, active, created_at, updated_at`;

/**
 * An active visit type of the doctor (the first active one when no id is given), or 422
 * INVALID_VISIT_TYPE; one query, as SlotService.visitTypeForBooking.
 */
async function visitTypeFor(doctorId: string, visitTypeId?: string): Promise<VisitTypeRow> {
  const { rows } =
    visitTypeId === undefined
      ? await pool.query<VisitTypeRow>(
          `SELECT ${VISIT_TYPE_COLUMNS} FROM visit_types WHERE doctor_id = $1 AND active
            ORDER BY position, created_at, id LIMIT 1`,
          [doctorId],
        )
      : isUuid(visitTypeId)
        ? await pool.query<VisitTypeRow>(
            `SELECT ${VISIT_TYPE_COLUMNS} FROM visit_types WHERE doctor_id = $1 AND active AND id = $2
              ORDER BY position, created_at, id LIMIT 1`,
            [doctorId, visitTypeId],
          )
        : { rows: [] };
  if (!rows[0])
    throw new Problem(
      422,
      'INVALID_VISIT_TYPE',
      'This doctor offers no active visit type with this id',
    );
  return rows[0];
}

function baseQuery(
  doctor: DoctorRow,
  type: TypeTimes,
  now: Date,
  fromDate: string,
  toDate: string,
): SlotQuery {
  return {
    rules: [],
    timeOff: [],
    busy: [],
    timezone: doctor.timezone,
    fromDate,
    toDate,
    now,
    minNoticeMinutes: env.BOOKING_MIN_NOTICE_MINUTES,
    horizonDays: env.BOOKING_HORIZON_DAYS,
    gridMinutes: doctor.slot_duration_minutes,
    durationMinutes: type.duration_minutes,
    bufferBeforeMinutes: type.buffer_before_minutes,
    bufferAfterMinutes: type.buffer_after_minutes,
  };
}

interface Intervals {
  rules: WeeklyRule[];
  timeOff: Interval[];
  busy: Interval[];
}

/**
 * Weekly rules, time off and the blocked ranges of live appointments of some doctors over
 * [from, to) (appointments widened by the longest buffer), grouped by doctor.
 */
async function loadIntervals(
  doctorIds: string[],
  from: Date,
  to: Date,
): Promise<(id: string) => Intervals> {
  const [rules, timeOff, busy] = await Promise.all([
    pool.query<{ doctor_id: string; day_of_week: number; start_time: string; end_time: string }>(
      'SELECT doctor_id, day_of_week, start_time, end_time FROM availability_rules WHERE doctor_id = ANY($1)',
      [doctorIds],
    ),
    pool.query<{ doctor_id: string; starts_at: Date; ends_at: Date }>(
      'SELECT doctor_id, starts_at, ends_at FROM time_off WHERE doctor_id = ANY($1) AND starts_at < $2 AND ends_at > $3',
      [doctorIds, to, from],
    ),
    pool.query<{ doctor_id: string; blocked_from: Date; blocked_to: Date }>(
      `SELECT doctor_id, blocked_from, blocked_to FROM appointments
        WHERE doctor_id = ANY($1) AND status = ANY($2::appointment_status[]) AND blocked_from < $3 AND blocked_to > $4
        ORDER BY blocked_from`,
      [
        doctorIds,
        LIVE,
        new Date(to.getTime() + MAX_BUFFER_MS),
        new Date(from.getTime() - MAX_BUFFER_MS),
      ],
    ),
  ]);
  const grouped = new Map<string, Intervals>();
  const of = (id: string): Intervals => {
    let entry = grouped.get(id);
    if (!entry) grouped.set(id, (entry = { rules: [], timeOff: [], busy: [] }));
    return entry;
  };
  for (const r of rules.rows)
    of(r.doctor_id).rules.push({
      dayOfWeek: r.day_of_week,
      startTime: r.start_time,
      endTime: r.end_time,
    });
  for (const r of timeOff.rows)
    of(r.doctor_id).timeOff.push({ start: r.starts_at, end: r.ends_at });
  for (const r of busy.rows)
    of(r.doctor_id).busy.push({ start: r.blocked_from, end: r.blocked_to });
  return of;
}

function money(minor: number, currency: string) {
  const code = currency.trim();
  if (code === 'JPY' || code === 'HUF' || code === 'TWD')
    return { amount: String(minor), currency: code };
  return {
    amount: `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`,
    currency: code,
  };
}

app.get('/health/live', async () => ({ status: 'ok', info: {}, error: {}, details: {} }));

app.get('/health/ready', async () => {
  await Promise.all([pool.query('SELECT 1'), redis.ping()]);
  const up = { database: { status: 'up' }, redis: { status: 'up' } };
  return { status: 'ok', info: up, error: {}, details: up };
});

app.get<{
  Params: { id: string };
  Querystring: { from?: string; to?: string; visitTypeId?: string };
}>('/api/v1/doctors/:id/slots', async (request, reply) => {
  await rateLimit(reply, `ip:${request.ip}`);
  const { id } = request.params;
  if (!isUuid(id)) throw new Problem(404, 'NOT_FOUND', 'Doctor not found');
  const { from: fromDate = '', to: toDate = '', visitTypeId } = request.query;
  const fromDay = DATE.test(fromDate) ? parseLocalDate(fromDate) : NaN;
  const toDay = DATE.test(toDate) ? parseLocalDate(toDate) : NaN;
  if (
    Number.isNaN(fromDay) ||
    Number.isNaN(toDay) ||
    toDay < fromDay ||
    toDay - fromDay + 1 > 31 ||
    (visitTypeId !== undefined && !isUuid(visitTypeId))
  ) {
    throw new Problem(
      400,
      'VALIDATION_FAILED',
      'from and to must be dates YYYY-MM-DD, in order, at most 31 days; visitTypeId a UUID',
    );
  }
  const doctor = await doctorForBooking(id);
  const type = await visitTypeFor(doctor.user_id, visitTypeId);
  const now = new Date();
  const query = baseQuery(doctor, type, now, fromDate, toDate);
  const earliest = now.getTime() + query.minNoticeMinutes * MINUTE_MS;
  const latest = now.getTime() + query.horizonDays * DAY_MS + query.durationMinutes * MINUTE_MS;
  const from = Math.max(earliest, (fromDay - 1) * DAY_MS);
  const to = Math.min(latest, (toDay + 2) * DAY_MS);
  if (from >= to) return { items: [] };
  const intervals = await loadIntervals([doctor.user_id], new Date(from), new Date(to));
  const slots = computeFreeSlots({ ...query, ...intervals(doctor.user_id) });
  return {
    items: slots.map((slot) => ({
      startsAt: formatInstant(slot.start.getTime()),
      endsAt: formatInstant(slot.end.getTime()),
      visitTypeId: type.id,
    })),
  };
});

interface DoctorListRow extends DoctorRow {
  bio: string;
  first_name: string;
  last_name: string;
}

app.get<{ Querystring: { specialty?: string; q?: string; page?: string; limit?: string } }>(
  '/api/v1/doctors',
  async (request, reply) => {
    await rateLimit(reply, `ip:${request.ip}`);
    const page = Number(request.query.page ?? 1);
    const limit = Number(request.query.limit ?? 20);
    if (
      !Number.isInteger(page) ||
      page < 1 ||
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > 100
    ) {
      throw new Problem(
        400,
        'VALIDATION_FAILED',
        'page and limit must be integers, limit at most 100',
      );
    }
    const { specialty } = request.query;
    if (specialty !== undefined && !isUuid(specialty))
      throw new Problem(400, 'VALIDATION_FAILED', 'specialty must be a UUID');
    const where = [`u.role = 'doctor'`, 'p.active', 'u.deactivated_at IS NULL'];
    const params: unknown[] = [];
    if (specialty) {
      params.push(specialty);
      where.push(
        `EXISTS (SELECT 1 FROM doctor_specialties ds WHERE ds.doctor_id = p.user_id AND ds.specialty_id = $${params.length})`,
      );
    }
    for (const term of (request.query.q ?? '').split(/\s+/).filter(Boolean).slice(0, 5)) {
      params.push(`%${term.replace(/[\\%_]/g, '\\$&')}%`);
      where.push(`(u.first_name ILIKE $${params.length} OR u.last_name ILIKE $${params.length})`);
    }
    const from = `FROM doctor_profiles p JOIN users u ON u.id = p.user_id WHERE ${where.join(' AND ')}`;
    const [list, count] = await Promise.all([
      pool.query<DoctorListRow>(
        `SELECT p.user_id, p.bio, p.fee_minor, p.currency, p.slot_duration_minutes, p.timezone, u.first_name, u.last_name
         ${from} ORDER BY u.last_name, u.first_name, p.user_id LIMIT ${limit} OFFSET ${(page - 1) * limit}`,
        params,
      ),
      pool.query<{ total: number }>(`SELECT count(*)::int AS total ${from}`, params),
    ]);
    const doctors = list.rows;
    if (doctors.length === 0) return { items: [], page, limit, total: count.rows[0].total };
    const ids = doctors.map((d) => d.user_id);
    const now = new Date();
    const [specialties, types, intervals] = await Promise.all([
      pool.query<{ doctor_id: string; id: string; name: string }>(
        `SELECT ds.doctor_id, s.id, s.name FROM doctor_specialties ds JOIN specialties s ON s.id = ds.specialty_id
          WHERE ds.doctor_id = ANY($1) ORDER BY s.name`,
        [ids],
      ),
      // As SlotService.activeVisitTypes: every active type of the page, in booking order.
      pool.query<{
        id: string;
        doctor_id: string;
        name: string;
        duration_minutes: number;
        buffer_before_minutes: number;
        buffer_after_minutes: number;
        price_minor: number;
        currency: string;
        mode: string;
      }>(
        `SELECT id, doctor_id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes,
                price_minor, currency, mode
           FROM visit_types WHERE doctor_id = ANY($1) AND active
          ORDER BY doctor_id, position, created_at, id`,
        [ids],
      ),
      loadIntervals(
        ids,
        now,
        new Date(now.getTime() + (NEXT_AVAILABLE_LOOKAHEAD_DAYS + 2) * DAY_MS),
      ),
    ]);
    const specialtiesOf = new Map<string, { id: string; name: string }[]>();
    for (const row of specialties.rows) {
      const list = specialtiesOf.get(row.doctor_id) ?? [];
      list.push({ id: row.id, name: row.name });
      specialtiesOf.set(row.doctor_id, list);
    }
    const typesOf = new Map<string, (typeof types.rows)[number][]>();
    for (const row of types.rows) {
      const list = typesOf.get(row.doctor_id) ?? [];
      list.push(row);
      typesOf.set(row.doctor_id, list);
    }
    const items = doctors.map((doctor) => {
      const today = DateTime.fromJSDate(now, { zone: doctor.timezone });
      const fromDate = today.toISODate()!;
      const toDate = today.plus({ days: NEXT_AVAILABLE_LOOKAHEAD_DAYS }).toISODate()!;
      const doctorTypes = typesOf.get(doctor.user_id) ?? [];
      const doctorIntervals = intervals(doctor.user_id);
      let nextAvailableAt: Date | null = null;
      for (const type of doctorTypes) {
        const first = firstFreeSlot({
          ...baseQuery(doctor, type, now, fromDate, toDate),
          ...doctorIntervals,
        })?.start;
        if (first && (!nextAvailableAt || first < nextAvailableAt)) nextAvailableAt = first;
      }
      return {
        id: doctor.user_id,
        firstName: doctor.first_name,
        lastName: doctor.last_name,
        specialties: specialtiesOf.get(doctor.user_id) ?? [],
        bio: doctor.bio,
        consultationFee: money(doctor.fee_minor, doctor.currency),
        slotDurationMinutes: doctor.slot_duration_minutes,
        timezone: doctor.timezone,
        visitTypes: doctorTypes.map((type) => ({
          id: type.id,
          name: type.name,
          durationMinutes: type.duration_minutes,
          price: money(type.price_minor, type.currency),
          mode: type.mode,
        })),
        nextAvailableAt,
      };
    });
    return { items, page, limit, total: count.rows[0].total };
  },
);

interface AppointmentRow {
  id: string;
  doctor_id: string;
  patient_id: string;
  starts_at: Date;
  ends_at: Date;
  status: string;
  visit_type_id: string;
  reason: string | null;
  answers: unknown[] | null;
  fee_minor: number;
  currency: string;
  hold_expires_at: Date | null;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancellation_reason: string | null;
  rescheduled_from_id: string | null;
  approval_deadline_at: Date | null;
  declined_at: Date | null;
  decline_reason: string | null;
  series_id: string | null;
  created_at: Date;
  updated_at: Date;
  doctor_first_name: string;
  doctor_last_name: string;
  patient_first_name: string;
  patient_last_name: string;
  visit_type_name: string | null;
  visit_type_mode: string | null;
  visit_type_location: string | null;
}

const BOOKING_KEYS = new Set(['doctorId', 'startsAt', 'visitTypeId', 'reason', 'answers']);

interface OutboxRow {
  kind: 'event' | 'job';
  type: string;
  aggregate_type: string;
  aggregate_id: string | null;
  payload: { appointmentId: string };
  job_id: string | null;
  run_at: string | null;
}

function event(type: string, payload: { appointmentId: string }): OutboxRow {
  return {
    kind: 'event',
    type,
    aggregate_type: 'appointment',
    aggregate_id: payload.appointmentId,
    payload,
    job_id: null,
    run_at: null,
  };
}

/** A job of the booking queue due at `runAt`, as JobDefinition.with(). */
function job(
  type: string,
  jobId: string,
  payload: { appointmentId: string },
  runAt: Date,
): OutboxRow {
  return {
    kind: 'job',
    type,
    aggregate_type: 'booking',
    aggregate_id: null,
    payload,
    job_id: jobId,
    run_at: runAt.toISOString(),
  };
}

/** As initialStatus() in book-appointment.use-case.ts. */
function initialStatus(type: VisitTypeRow): string {
  if (type.requires_approval) return 'pending_approval';
  return type.price_minor === 0 ? 'confirmed' : 'pending_payment';
}

app.post<{ Body: Record<string, unknown> | null }>(
  '/api/v1/appointments',
  async (request, reply) => {
    const caller = await authenticate(request);
    await rateLimit(reply, `user:${caller.id}`);
    if (caller.role !== 'patient')
      throw new Problem(403, 'FORBIDDEN', 'Your role may not use this operation');
    const body = request.body;
    const { doctorId, startsAt: startsAtText, visitTypeId, reason, answers } = body ?? {};
    if (
      !body ||
      Object.keys(body).some((key) => !BOOKING_KEYS.has(key)) ||
      typeof doctorId !== 'string' ||
      !isUuid(doctorId) ||
      typeof startsAtText !== 'string' ||
      !ISO_INSTANT.test(startsAtText) ||
      (visitTypeId !== undefined && (typeof visitTypeId !== 'string' || !isUuid(visitTypeId))) ||
      (reason !== undefined && (typeof reason !== 'string' || reason.length > 1000)) ||
      // The bench books types without questions: an object is all there is to check.
      (answers !== undefined &&
        (answers === null || typeof answers !== 'object' || Array.isArray(answers)))
    ) {
      throw new Problem(
        400,
        'VALIDATION_FAILED',
        'doctorId (uuid), startsAt (ISO 8601), an optional visitTypeId (uuid), reason and answers (object) are expected',
      );
    }
    const startsAt = new Date(startsAtText);
    const doctor = await doctorForBooking(doctorId);
    const type = await visitTypeFor(doctor.user_id, visitTypeId);
    const status = initialStatus(type);
    const local = DateTime.fromJSDate(startsAt, { zone: doctor.timezone });
    const date = local.toISODate();
    const end = new Date(startsAt.getTime() + type.duration_minutes * MINUTE_MS);

    const client: PoolClient = await pool.connect();
    let id: string;
    try {
      await client.query('BEGIN');
      // The doctor's schedule lock, as lockDoctorSchedule(…, ScheduleLock.Book).
      await client.query('SELECT 1 FROM doctor_profiles WHERE user_id = $1 FOR SHARE', [
        doctor.user_id,
      ]);
      const [rules, timeOff] = await Promise.all([
        client.query<{ day_of_week: number; start_time: string; end_time: string }>(
          'SELECT day_of_week, start_time, end_time FROM availability_rules WHERE doctor_id = $1 AND day_of_week = $2',
          [doctor.user_id, local.weekday % 7],
        ),
        client.query<{ starts_at: Date; ends_at: Date }>(
          'SELECT starts_at, ends_at FROM time_off WHERE doctor_id = ANY($1) AND starts_at < $2 AND ends_at > $3',
          [[doctor.user_id], end, startsAt],
        ),
      ]);
      const slot = date
        ? computeFreeSlots({
            ...baseQuery(doctor, type, new Date(), date, date),
            rules: rules.rows.map((r) => ({
              dayOfWeek: r.day_of_week,
              startTime: r.start_time,
              endTime: r.end_time,
            })),
            timeOff: timeOff.rows.map((r) => ({ start: r.starts_at, end: r.ends_at })),
          }).find((s) => s.start.getTime() === startsAt.getTime())
        : undefined;
      if (!slot)
        throw new Problem(422, 'NOT_A_SLOT', 'This time is not a bookable slot of that doctor');

      const now = Date.now();
      const holdExpiresAt =
        status === 'pending_payment' ? new Date(now + env.PAYMENT_HOLD_MINUTES * MINUTE_MS) : null;
      const approvalDeadlineAt =
        status === 'pending_approval'
          ? new Date(Math.min(now + type.approval_deadline_hours * HOUR_MS, slot.start.getTime()))
          : null;
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO appointments (doctor_id, patient_id, starts_at, ends_at, blocked_from, blocked_to, visit_type_id,
                                   status, reason, answers, fee_minor, currency, change_cutoff_hours,
                                   hold_expires_at, approval_deadline_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11, $12, $13, $14) RETURNING id`,
        [
          doctor.user_id,
          caller.id,
          slot.start,
          slot.end,
          new Date(slot.start.getTime() - type.buffer_before_minutes * MINUTE_MS),
          new Date(slot.end.getTime() + type.buffer_after_minutes * MINUTE_MS),
          type.id,
          status,
          typeof reason === 'string' ? reason.trim() : null,
          type.price_minor,
          type.currency.trim(),
          type.change_cutoff_hours,
          holdExpiresAt,
          approvalDeadlineAt,
        ],
      );
      id = inserted.rows[0].id;
      await client.query(
        `INSERT INTO appointment_status_history (appointment_id, from_status, to_status, actor_id, reason) VALUES ($1, NULL, $2, $3, 'booked')`,
        [id, status, caller.id],
      );
      // Events and jobs in one statement with their notify, as recordWork().
      const payload = { appointmentId: id };
      const rows: OutboxRow[] = [event('appointment.booked', payload)];
      if (status === 'confirmed') rows.push(event('appointment.confirmed', payload));
      if (holdExpiresAt)
        rows.push(job('booking.hold-expire', `hold-expire-${id}`, payload, holdExpiresAt));
      if (approvalDeadlineAt)
        rows.push(
          job('booking.approval-deadline', `approval-deadline-${id}`, payload, approvalDeadlineAt),
        );
      await client.query(
        `WITH saved AS (
           INSERT INTO outbox_events (kind, type, aggregate_type, aggregate_id, payload, job_id, run_at)
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(kind outbox_kind, type text,
             aggregate_type text, aggregate_id uuid, payload jsonb, job_id text, run_at timestamptz)
           RETURNING id
         )
         SELECT id, pg_notify($2, '') FROM saved`,
        [JSON.stringify(rows), 'outbox_events'],
      );
      await client.query(
        `INSERT INTO audit_logs (actor_id, action, resource_type, resource_id, outcome, ip, request_id)
         VALUES ($1, 'appointment.create', 'appointment', $2, 'allowed', $3, $4)`,
        [caller.id, id, request.ip, String(request.id)],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      const e = error as { code?: string; constraint?: string };
      if (e.code === '23P01') {
        throw e.constraint === 'appointments_patient_no_overlap'
          ? new Problem(
              409,
              'PATIENT_BUSY',
              'You already have a live appointment overlapping this time',
            )
          : new Problem(
              409,
              'SLOT_TAKEN',
              'Someone else holds or booked this slot; pick another one',
            );
      }
      throw error;
    } finally {
      client.release();
    }

    const { rows } = await pool.query<AppointmentRow>(
      `SELECT a.*, d.first_name AS doctor_first_name, d.last_name AS doctor_last_name,
            p.first_name AS patient_first_name, p.last_name AS patient_last_name,
            v.name AS visit_type_name, v.mode AS visit_type_mode, v.location AS visit_type_location
       FROM appointments a JOIN users d ON d.id = a.doctor_id JOIN users p ON p.id = a.patient_id
       LEFT JOIN visit_types v ON v.id = a.visit_type_id
      WHERE a.id = $1`,
      [id],
    );
    const a = rows[0];
    reply.code(201);
    return {
      id: a.id,
      doctorId: a.doctor_id,
      patientId: a.patient_id,
      startsAt: a.starts_at.toISOString(),
      endsAt: a.ends_at.toISOString(),
      status: a.status,
      visitTypeId: a.visit_type_id,
      visitType: {
        id: a.visit_type_id,
        name: a.visit_type_name ?? '',
        durationMinutes: Math.round((a.ends_at.getTime() - a.starts_at.getTime()) / MINUTE_MS),
        mode: a.visit_type_mode ?? 'in_person',
        location: a.visit_type_location,
      },
      reason: a.reason,
      answers: a.answers ?? [],
      fee: money(a.fee_minor, a.currency),
      holdExpiresAt: a.hold_expires_at?.toISOString() ?? null,
      cancelledAt: a.cancelled_at?.toISOString() ?? null,
      cancelledBy: a.cancelled_by,
      cancellationReason: a.cancellation_reason,
      rescheduledFromId: a.rescheduled_from_id,
      approvalDeadlineAt: a.approval_deadline_at?.toISOString() ?? null,
      declinedAt: a.declined_at?.toISOString() ?? null,
      declineReason: a.decline_reason,
      seriesId: a.series_id,
      createdAt: a.created_at.toISOString(),
      updatedAt: a.updated_at.toISOString(),
      doctor: { id: a.doctor_id, firstName: a.doctor_first_name, lastName: a.doctor_last_name },
      patient: { id: a.patient_id, firstName: a.patient_first_name, lastName: a.patient_last_name },
    };
  },
);

async function shutdown(): Promise<void> {
  await app.close();
  await Promise.allSettled([pool.end(), redis.quit()]);
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());

app
  .listen({ port: env.PORT, host: env.HOST })
  .then(() => log.info(`Baseline listening on http://${env.HOST}:${env.PORT}`))
  .catch((error: unknown) => {
    process.stderr.write(`baseline failed to start: ${String(error)}\n`);
    process.exit(1);
  });
