import { createHash, randomBytes } from 'node:crypto';
import type { ClientBase } from 'pg';

/** Appointments of the feed scenario's doctor: the load SPEC §6 sets a 50 ms p95 for. */
export const FEED_APPOINTMENTS = 2000;
const FEED_PATIENTS = 40;
const SLOT_MINUTES = 30;
const PER_DAY = 17;

/**
 * One doctor with FEED_APPOINTMENTS appointments from 29 days ago over the next months
 * (08:00 UTC onwards, 30 minutes each, back to back; every tenth cancelled, with its
 * history), their own patients, and a calendar-feed token. Returns the feed's path.
 */
export async function seedCalendarFeed(client: ClientBase, now: Date): Promise<string> {
  const tag = randomBytes(3).toString('hex');
  const {
    rows: [doctor],
  } = await client.query<{ id: string }>(
    `INSERT INTO users (email, role, first_name, last_name, timezone, email_verified_at)
     VALUES ($1, 'doctor', 'Feed', 'Doctor', 'UTC', now()) RETURNING id`,
    [`feed-doctor-${tag}@bench.test`],
  );
  await client.query(
    `INSERT INTO doctor_profiles (user_id, bio, fee_minor, currency, slot_duration_minutes, timezone)
     VALUES ($1, 'Busy.', 0, 'USD', $2, 'UTC')`,
    [doctor.id, SLOT_MINUTES],
  );
  const { rows: patients } = await client.query<{ id: string }>(
    `INSERT INTO users (email, role, first_name, last_name, timezone, email_verified_at)
     SELECT format('feed-patient-%s-%s@bench.test', $2::text, g), 'patient', 'Feed', format('Patient%s', g), 'UTC', now()
       FROM generate_series(1, $1::int) g RETURNING id`,
    [FEED_PATIENTS, tag],
  );
  const firstDay = Math.floor(now.getTime() / 86_400_000) - 29;
  await client.query(
    `INSERT INTO appointments (doctor_id, patient_id, starts_at, ends_at, status, fee_minor, currency)
     SELECT $1, ($2::uuid[])[1 + i % $3], s, s + make_interval(mins => $4),
            (CASE WHEN i % 10 = 0 THEN 'cancelled' ELSE 'confirmed' END)::appointment_status, 0, 'USD'
       FROM generate_series(0, $5::int - 1) i,
            LATERAL (SELECT to_timestamp(($6::bigint + i / $7) * 86400 + 8 * 3600 + (i % $7) * $4 * 60) AS s) t`,
    [
      doctor.id,
      patients.map((p) => p.id),
      FEED_PATIENTS,
      SLOT_MINUTES,
      FEED_APPOINTMENTS,
      firstDay,
      PER_DAY,
    ],
  );
  await client.query(
    `INSERT INTO appointment_status_history (appointment_id, from_status, to_status, actor_id, reason, at)
     SELECT id, NULL, 'confirmed'::appointment_status, patient_id, 'booked', created_at
       FROM appointments WHERE doctor_id = $1
     UNION ALL
     SELECT id, 'confirmed'::appointment_status, 'cancelled'::appointment_status, patient_id, 'cancelled', created_at
       FROM appointments
      WHERE doctor_id = $1 AND status = 'cancelled'`,
    [doctor.id],
  );
  const token = randomBytes(32).toString('base64url');
  await client.query(`INSERT INTO calendar_feeds (user_id, token_hash) VALUES ($1, $2)`, [
    doctor.id,
    createHash('sha256').update(token, 'utf8').digest('hex'),
  ]);
  await client.query('ANALYZE appointments');
  return `/calendar/${token}.ics`;
}
