import type { Client } from 'pg';
import { computeFreeSlots, Interval, WeeklyRule } from '@app/booking/slots/slot-engine';
import { DAY_MS, formatLocalDate } from '@app/booking/slots/local-time';

export const SEED = {
  doctors: 200,
  patients: 5000,
  appointmentsPerDoctor: 100,
  appointmentDays: 60,
};

const SPECIALTIES = [
  'Cardiology',
  'Dermatology',
  'Family medicine',
  'Neurology',
  'Pediatrics',
  'Psychiatry',
  'Orthopedics',
  'Ophthalmology',
];
const ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'UTC',
  'Asia/Tokyo',
  'America/Los_Angeles',
  'Europe/London',
];
const FIRST_NAMES = [
  'Ada',
  'Ben',
  'Chloe',
  'Dev',
  'Eva',
  'Farid',
  'Grace',
  'Hugo',
  'Iris',
  'Jonas',
];

/** A visit type's length and buffers, in minutes. */
export interface SeededVisitType {
  id: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

export interface SeededDoctor {
  id: string;
  timezone: string;
  slotDurationMinutes: number;
  rules: WeeklyRule[];
  /** "Consultation", the doctor's first type (made by the profile trigger); bookings use it. */
  defaultType: SeededVisitType;
  /** "Long consultation": twice the grid, twice the fee, 10 minutes of buffer each side. */
  longType: SeededVisitType;
}

export interface Seeded {
  doctors: SeededDoctor[];
  specialtyIds: string[];
  patientIds: string[];
  /**
   * Time off and live appointments' blocked ranges per doctor, live appointments per
   * patient, as seeded (seeded appointments have no buffers: blocked range = visit).
   */
  timeOffByDoctor: Map<string, Interval[]>;
  busyByDoctor: Map<string, Interval[]>;
  busyByPatient: Map<string, Interval[]>;
}

/** Deterministic pseudo-random numbers, so every run seeds the same shape. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function shuffle<T>(items: T[], next: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * Free slots of one visit type of a doctor between two UTC-day offsets from now (local
 * dates of its zone); `busy` are blocked ranges of other bookings.
 */
export function doctorSlots(
  doctor: SeededDoctor,
  type: SeededVisitType,
  now: Date,
  fromDayOffset: number,
  toDayOffset: number,
  timeOff: Interval[],
  busy: Interval[],
): Interval[] {
  const today = Math.floor(now.getTime() / DAY_MS);
  return computeFreeSlots({
    rules: doctor.rules,
    timeOff,
    busy,
    timezone: doctor.timezone,
    fromDate: formatLocalDate(today + fromDayOffset),
    toDate: formatLocalDate(today + toDayOffset),
    now,
    minNoticeMinutes: 60,
    horizonDays: 90,
    gridMinutes: doctor.slotDurationMinutes,
    durationMinutes: type.durationMinutes,
    bufferBeforeMinutes: type.bufferBeforeMinutes,
    bufferAfterMinutes: type.bufferAfterMinutes,
  });
}

/** The range a booking of `type` at `slot` keeps free: the visit widened by the buffers. */
export function blockedRange(type: SeededVisitType, slot: Interval): Interval {
  return {
    start: new Date(slot.start.getTime() - type.bufferBeforeMinutes * 60_000),
    end: new Date(slot.end.getTime() + type.bufferAfterMinutes * 60_000),
  };
}

/** True when `interval` overlaps none of `taken`. */
export function fits(taken: Interval[] | undefined, interval: Interval): boolean {
  if (!taken) return true;
  const start = interval.start.getTime();
  const end = interval.end.getTime();
  return taken.every((t) => t.end.getTime() <= start || t.start.getTime() >= end);
}

/**
 * Doctors with fees, slot lengths, zones, weekly hours and two visit types (the default
 * "Consultation", with 5 minutes of buffer after it for every other doctor, and a "Long
 * consultation" with buffers), patients and specialties in a few set-based statements; then
 * existing appointments placed on real free slots so the no-overlap constraints (per doctor
 * and per patient) hold.
 */
export async function seed(client: Client, now: Date): Promise<Seeded> {
  await client.query(
    `INSERT INTO specialties (name, description) SELECT name, name || ' consultations' FROM unnest($1::text[]) AS name`,
    [SPECIALTIES],
  );
  await client.query(
    `INSERT INTO users (email, role, first_name, last_name, timezone, email_verified_at)
     SELECT format('doctor%s@bench.test', g), 'doctor', ($2::text[])[1 + g % 10], format('Doctor%s', lpad(g::text, 3, '0')),
            ($3::text[])[1 + g % $4], now()
       FROM generate_series(1, $1::int) g`,
    [SEED.doctors, FIRST_NAMES, ZONES, ZONES.length],
  );
  await client.query(
    `INSERT INTO users (email, role, first_name, last_name, timezone, email_verified_at)
     SELECT format('patient%s@bench.test', g), 'patient', ($2::text[])[1 + g % 10], format('Patient%s', g), 'UTC', now()
       FROM generate_series(1, $1::int) g`,
    [SEED.patients, FIRST_NAMES],
  );
  await client.query(`
    CREATE TEMP TABLE bench_doctors AS
      SELECT id, timezone, row_number() OVER (ORDER BY email)::int AS n FROM users WHERE role = 'doctor'`);
  await client.query(`
    INSERT INTO doctor_profiles (user_id, bio, fee_minor, currency, slot_duration_minutes, timezone)
    SELECT id, 'Consultations in person and by video.',
           CASE WHEN n % 10 = 0 THEN 0 ELSE 4000 + (n % 9) * 1000 END, 'USD',
           (ARRAY[15, 20, 30])[1 + n % 3], timezone
      FROM bench_doctors`);
  // The profile trigger gave each doctor "Consultation" (the grid's length, the fee).
  await client.query(`
    UPDATE visit_types v SET buffer_after_minutes = 5
      FROM bench_doctors d WHERE v.doctor_id = d.id AND d.n % 2 = 0`);
  await client.query(`
    INSERT INTO visit_types (doctor_id, name, duration_minutes, price_minor, currency,
                             buffer_before_minutes, buffer_after_minutes, position)
    SELECT user_id, 'Long consultation', 2 * slot_duration_minutes, 2 * fee_minor, currency, 10, 10, 1
      FROM doctor_profiles`);
  // Mon–Fri 08:00–17:00 in one window or with a lunch break; every fourth doctor also Saturday mornings.
  await client.query(`
    INSERT INTO availability_rules (doctor_id, day_of_week, start_time, end_time)
    SELECT d.id, dow, w.s, w.e
      FROM bench_doctors d
      CROSS JOIN generate_series(1, 5) dow
      JOIN (VALUES (1, '08:00'::time, '17:00'::time), (0, '08:00', '12:00'), (0, '13:00', '17:00')) w(k, s, e)
        ON w.k = d.n % 2
    UNION ALL
    SELECT id, 6, '09:00', '13:00' FROM bench_doctors WHERE n % 4 = 0`);
  await client.query(`
    INSERT INTO doctor_specialties (doctor_id, specialty_id)
    SELECT d.id, s.id
      FROM bench_doctors d
      JOIN (SELECT id, row_number() OVER (ORDER BY name)::int - 1 AS k FROM specialties) s
        ON s.k = d.n % 8 OR (d.n % 3 = 0 AND s.k = (d.n + 3) % 8)`);
  await client.query(`
    INSERT INTO time_off (doctor_id, starts_at, ends_at, reason)
    SELECT id, date_trunc('day', now()) + make_interval(days => 3 + n % 20),
           date_trunc('day', now()) + make_interval(days => 4 + n % 20), 'Conference'
      FROM bench_doctors WHERE n % 10 = 0`);

  const { rows: doctorRows } = await client.query<{
    id: string;
    timezone: string;
    slot_duration_minutes: number;
    rules: { dayOfWeek: number; startTime: string; endTime: string }[];
    types: SeededVisitType[];
  }>(`
    SELECT p.user_id AS id, p.timezone, p.slot_duration_minutes,
           (SELECT json_agg(json_build_object('dayOfWeek', r.day_of_week, 'startTime', r.start_time, 'endTime', r.end_time))
              FROM availability_rules r WHERE r.doctor_id = p.user_id) AS rules,
           (SELECT json_agg(json_build_object('id', v.id, 'durationMinutes', v.duration_minutes,
                                              'bufferBeforeMinutes', v.buffer_before_minutes,
                                              'bufferAfterMinutes', v.buffer_after_minutes)
                            ORDER BY v.position, v.created_at, v.id)
              FROM visit_types v WHERE v.doctor_id = p.user_id AND v.active) AS types
      FROM doctor_profiles p ORDER BY p.user_id`);
  const doctors: SeededDoctor[] = doctorRows.map((row) => {
    if (row.types.length !== 2) throw new Error(`doctor ${row.id} has ${row.types.length} types`);
    return {
      id: row.id,
      timezone: row.timezone,
      slotDurationMinutes: row.slot_duration_minutes,
      rules: row.rules,
      defaultType: row.types[0],
      longType: row.types[1],
    };
  });
  const patientIds = (
    await client.query<{ id: string }>(`SELECT id FROM users WHERE role = 'patient' ORDER BY email`)
  ).rows.map((row) => row.id);
  const specialtyIds = (
    await client.query<{ id: string }>('SELECT id FROM specialties ORDER BY name')
  ).rows.map((row) => row.id);

  const timeOffByDoctor = new Map<string, Interval[]>();
  const timeOff = await client.query<{ doctor_id: string; starts_at: Date; ends_at: Date }>(
    'SELECT doctor_id, starts_at, ends_at FROM time_off',
  );
  for (const row of timeOff.rows) {
    timeOffByDoctor.set(row.doctor_id, [
      ...(timeOffByDoctor.get(row.doctor_id) ?? []),
      { start: row.starts_at, end: row.ends_at },
    ]);
  }

  const next = random(7);
  const busyByDoctor = new Map<string, Interval[]>();
  const busyByPatient = new Map<string, Interval[]>();
  const columns = {
    doctor: [] as string[],
    patient: [] as string[],
    start: [] as Date[],
    end: [] as Date[],
    status: [] as string[],
    hold: [] as (Date | null)[],
  };
  let patientCursor = 0;
  for (const doctor of doctors) {
    // Inserted without a visit type: the insert trigger gives them the doctor's first type
    // and no buffers (blocked range = the visit), so they are placed as such.
    const asInserted = { ...doctor.defaultType, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 };
    const free = shuffle(
      doctorSlots(
        doctor,
        asInserted,
        now,
        0,
        SEED.appointmentDays - 1,
        timeOffByDoctor.get(doctor.id) ?? [],
        [],
      ),
      next,
    ).slice(0, SEED.appointmentsPerDoctor);
    free.forEach((slot, i) => {
      // 85 % confirmed, 10 % held for payment, 5 % cancelled (which blocks nothing).
      const status = i % 20 === 0 ? 'cancelled' : i % 10 === 1 ? 'pending_payment' : 'confirmed';
      const live = status !== 'cancelled';
      let patient = patientIds[patientCursor++ % patientIds.length];
      while (live && !fits(busyByPatient.get(patient), slot))
        patient = patientIds[patientCursor++ % patientIds.length];
      if (live) {
        busyByDoctor.set(doctor.id, [...(busyByDoctor.get(doctor.id) ?? []), slot]);
        busyByPatient.set(patient, [...(busyByPatient.get(patient) ?? []), slot]);
      }
      columns.doctor.push(doctor.id);
      columns.patient.push(patient);
      columns.start.push(slot.start);
      columns.end.push(slot.end);
      columns.status.push(status);
      // Held a day, so no hold expiry runs during the bench.
      columns.hold.push(status === 'pending_payment' ? new Date(now.getTime() + DAY_MS) : null);
    });
  }
  await client.query(
    `INSERT INTO appointments (doctor_id, patient_id, starts_at, ends_at, status, fee_minor, currency, hold_expires_at,
                               cancelled_at, cancelled_by)
     SELECT a.doctor_id, a.patient_id, a.starts_at, a.ends_at, a.status, p.fee_minor, p.currency, a.hold,
            CASE WHEN a.status = 'cancelled' THEN now() END, CASE WHEN a.status = 'cancelled' THEN a.patient_id END
       FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::appointment_status[], $6::timestamptz[])
            AS a(doctor_id, patient_id, starts_at, ends_at, status, hold)
       JOIN doctor_profiles p ON p.user_id = a.doctor_id`,
    [columns.doctor, columns.patient, columns.start, columns.end, columns.status, columns.hold],
  );
  await client.query(`
    INSERT INTO appointment_status_history (appointment_id, from_status, to_status, actor_id, reason, at)
    SELECT id, NULL, status, patient_id, 'booked', created_at FROM appointments`);
  await client.query('ANALYZE');
  return { doctors, specialtyIds, patientIds, timeOffByDoctor, busyByDoctor, busyByPatient };
}

export interface Booking {
  doctorId: string;
  patientId: string;
  startsAt: string;
}

/**
 * Distinct free (doctor, slot, patient) triples of the doctors' default visit types in
 * random order: each slot free of the seeded appointments given the type's buffers, no two
 * blocked ranges of one doctor overlapping, no visit overlapping another booking of the same
 * patient. Every request made from them books for real.
 */
export function bookingPool(seeded: Seeded, now: Date, size: number): Booking[] {
  const next = random(11);
  const candidates: { doctor: SeededDoctor; slot: Interval }[] = [];
  for (const doctor of seeded.doctors) {
    const busy = seeded.busyByDoctor.get(doctor.id) ?? [];
    // From the day after tomorrow: far past the minimum notice for the whole run.
    const timeOff = seeded.timeOffByDoctor.get(doctor.id) ?? [];
    for (const slot of doctorSlots(doctor, doctor.defaultType, now, 2, 80, timeOff, busy))
      candidates.push({ doctor, slot });
  }
  shuffle(candidates, next);
  const taken = new Map(seeded.busyByPatient);
  // Blocked ranges of the pool's own bookings: with buffers, neighbouring slots collide.
  const blockedByDoctor = new Map<string, Interval[]>();
  const pool: Booking[] = [];
  let cursor = 0;
  for (const { doctor, slot } of candidates) {
    if (pool.length >= size) break;
    const blocked = blockedRange(doctor.defaultType, slot);
    if (!fits(blockedByDoctor.get(doctor.id), blocked)) continue;
    for (let tries = 0; tries < 20; tries++) {
      const patientId = seeded.patientIds[cursor++ % seeded.patientIds.length];
      if (!fits(taken.get(patientId), slot)) continue;
      taken.set(patientId, [...(taken.get(patientId) ?? []), slot]);
      blockedByDoctor.set(doctor.id, [...(blockedByDoctor.get(doctor.id) ?? []), blocked]);
      pool.push({ doctorId: doctor.id, patientId, startsAt: slot.start.toISOString() });
      break;
    }
  }
  if (pool.length < size)
    throw new Error(`only ${pool.length} free bookings for a pool of ${size}`);
  return pool;
}
