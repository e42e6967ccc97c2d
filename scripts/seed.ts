/**
 * `npm run seed`: demo data for a development database — specialties, a dozen doctors in
 * several time zones with weekly hours and fees, patients, an admin, and past and future
 * appointments. Idempotent: fixed emails and ids, upserts, so a second run changes no count.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { hashPassword, PASSWORD_MIN_LENGTH } from '@app/auth/accounts/password';
import { parseMoney } from '@app/common/money/money';
import { loadConfigOrExit } from '@app/config';
import { prepareDatabase } from '@app/core/prepare-database';
import { AppointmentStatus, dataSourceOptions, UserRole } from '@app/database';

/** The documented development password of every demo account (override with SEED_PASSWORD). */
export const DEFAULT_SEED_PASSWORD = 'demo-password';
/** Every demo account lives here (a reserved domain), so the seed never touches real users. */
export const SEED_EMAIL_DOMAIN = 'demo.example.com';

type Hours = [days: number[], start: string, end: string][];

interface DoctorSeed {
  key: string;
  firstName: string;
  lastName: string;
  timezone: string;
  specialties: string[];
  fee: { amount: string; currency: string };
  slotMinutes: number;
  bio: string;
  hours: Hours;
}

interface PersonSeed {
  key: string;
  firstName: string;
  lastName: string;
  timezone: string;
}

const WEEKDAYS = [1, 2, 3, 4, 5];

export const SPECIALTIES: { name: string; description: string }[] = [
  { name: 'Cardiology', description: 'Heart and blood vessels' },
  { name: 'Dermatology', description: 'Skin, hair and nails' },
  { name: 'General Practice', description: 'First stop for any health concern' },
  { name: 'Neurology', description: 'Brain, spinal cord and nerves' },
  { name: 'Ophthalmology', description: 'Eyes and vision' },
  { name: 'Orthopedics', description: 'Bones, joints and muscles' },
  { name: 'Pediatrics', description: 'Children from birth to adolescence' },
  { name: 'Psychiatry', description: 'Mental health' },
];

// Fee "0" means a free consultation: its bookings are confirmed at once.
// prettier-ignore
export const DOCTORS: DoctorSeed[] = [
  {
    key: 'anna.schmidt', firstName: 'Anna', lastName: 'Schmidt', timezone: 'Europe/Berlin',
    specialties: ['Cardiology'], fee: { amount: '80.00', currency: 'EUR' }, slotMinutes: 30,
    bio: 'Cardiologist at a Berlin practice; echocardiography and prevention.',
    hours: [[WEEKDAYS, '08:00', '12:00'], [[1, 2, 4], '13:00', '16:00']],
  },
  {
    key: 'lukas.weber', firstName: 'Lukas', lastName: 'Weber', timezone: 'Europe/Berlin',
    specialties: ['Dermatology'], fee: { amount: '0', currency: 'EUR' }, slotMinutes: 20,
    bio: 'Dermatologist; free skin-check consultations for the community clinic.',
    hours: [[[1, 3, 5], '09:00', '13:00']],
  },
  {
    key: 'emily.carter', firstName: 'Emily', lastName: 'Carter', timezone: 'America/New_York',
    specialties: ['Pediatrics'], fee: { amount: '120.00', currency: 'USD' }, slotMinutes: 30,
    bio: 'Pediatrician in Brooklyn with fifteen years of practice.',
    hours: [[WEEKDAYS, '09:00', '12:00'], [WEEKDAYS, '13:00', '17:00']],
  },
  {
    key: 'marcus.johnson', firstName: 'Marcus', lastName: 'Johnson', timezone: 'America/New_York',
    specialties: ['General Practice'], fee: { amount: '0', currency: 'USD' }, slotMinutes: 15,
    bio: 'Family doctor at a community health center.',
    hours: [[WEEKDAYS, '08:00', '12:00'], [[6], '09:00', '12:00']],
  },
  {
    key: 'yuki.tanaka', firstName: 'Yuki', lastName: 'Tanaka', timezone: 'Asia/Tokyo',
    specialties: ['Psychiatry'], fee: { amount: '8000', currency: 'JPY' }, slotMinutes: 50,
    bio: 'Psychiatrist; anxiety, sleep and work stress. Sessions in Japanese and English.',
    hours: [[[2, 3, 4, 5, 6], '10:00', '18:00']],
  },
  {
    key: 'hiroshi.sato', firstName: 'Hiroshi', lastName: 'Sato', timezone: 'Asia/Tokyo',
    specialties: ['Orthopedics'], fee: { amount: '6000', currency: 'JPY' }, slotMinutes: 30,
    bio: 'Orthopedic surgeon; sports injuries and back pain.',
    hours: [[WEEKDAYS, '09:00', '12:00'], [WEEKDAYS, '14:00', '17:30']],
  },
  {
    key: 'olivia.brown', firstName: 'Olivia', lastName: 'Brown', timezone: 'Australia/Sydney',
    specialties: ['Dermatology'], fee: { amount: '95.00', currency: 'AUD' }, slotMinutes: 20,
    bio: 'Dermatologist; skin cancer screening.',
    hours: [[[1, 2, 3, 4], '08:30', '16:30']],
  },
  {
    key: 'jack.wilson', firstName: 'Jack', lastName: 'Wilson', timezone: 'Australia/Sydney',
    specialties: ['General Practice'], fee: { amount: '0', currency: 'AUD' }, slotMinutes: 15,
    bio: 'GP with bulk-billed (free) early-morning appointments.',
    hours: [[WEEKDAYS, '07:30', '11:30']],
  },
  {
    key: 'sam.okafor', firstName: 'Sam', lastName: 'Okafor', timezone: 'UTC',
    specialties: ['General Practice', 'Dermatology'], fee: { amount: '30.00', currency: 'USD' },
    slotMinutes: 15, bio: 'Telehealth doctor, seven days a week.',
    hours: [[[0, 1, 2, 3, 4, 5, 6], '08:00', '20:00']],
  },
  {
    key: 'sophie.martin', firstName: 'Sophie', lastName: 'Martin', timezone: 'Europe/London',
    specialties: ['Neurology'], fee: { amount: '150.00', currency: 'GBP' }, slotMinutes: 45,
    bio: 'Consultant neurologist; headaches and migraine.',
    hours: [[[1, 2, 4], '09:00', '17:00']],
  },
  {
    key: 'diego.ramirez', firstName: 'Diego', lastName: 'Ramirez', timezone: 'America/Los_Angeles',
    specialties: ['Pediatrics'], fee: { amount: '0', currency: 'USD' }, slotMinutes: 30,
    bio: 'Pediatrician at a free clinic; Spanish and English.',
    hours: [[WEEKDAYS, '10:00', '18:00']],
  },
  {
    key: 'priya.sharma', firstName: 'Priya', lastName: 'Sharma', timezone: 'Asia/Kolkata',
    specialties: ['Cardiology', 'Ophthalmology'], fee: { amount: '25.00', currency: 'USD' },
    slotMinutes: 20, bio: 'Physician with evening hours for working patients.',
    hours: [[[1, 2, 3, 4, 5, 6], '10:00', '14:00'], [[1, 2, 3, 4, 5], '17:00', '20:00']],
  },
];

export const PATIENTS: PersonSeed[] = [
  { key: 'ada.lovelace', firstName: 'Ada', lastName: 'Lovelace', timezone: 'Europe/London' },
  { key: 'grace.hopper', firstName: 'Grace', lastName: 'Hopper', timezone: 'America/New_York' },
  {
    key: 'katherine.johnson',
    firstName: 'Katherine',
    lastName: 'Johnson',
    timezone: 'America/New_York',
  },
  { key: 'haruki.mori', firstName: 'Haruki', lastName: 'Mori', timezone: 'Asia/Tokyo' },
];

const ADMIN: PersonSeed = { key: 'admin', firstName: 'Demo', lastName: 'Admin', timezone: 'UTC' };

interface AppointmentSeed {
  key: string;
  doctor: string;
  patient: string;
  /** Days from today in the doctor's zone: negative is past. */
  days: number;
  /** Which slot of the day's first window (0 = its start). */
  slot: number;
  status:
    AppointmentStatus.Completed | AppointmentStatus.Confirmed | AppointmentStatus.PendingPayment;
  reason: string;
}

// Completed and confirmed ones are with free doctors (no payment to invent); pending ones
// wait for a PayPal payment, as a fresh booking with a paid doctor does.
// prettier-ignore
export const APPOINTMENTS: AppointmentSeed[] = [
  ['lukas.weber', 'ada.lovelace', -14, 1, AppointmentStatus.Completed, 'Mole check'],
  ['lukas.weber', 'katherine.johnson', 3, 2, AppointmentStatus.Confirmed, 'Rash on the arm'],
  ['marcus.johnson', 'grace.hopper', -7, 2, AppointmentStatus.Completed, 'Annual check-up'],
  ['marcus.johnson', 'haruki.mori', 2, 3, AppointmentStatus.Confirmed, 'Flu symptoms'],
  ['jack.wilson', 'grace.hopper', -21, 1, AppointmentStatus.Completed, 'Vaccination'],
  ['jack.wilson', 'katherine.johnson', 4, 2, AppointmentStatus.Confirmed, 'Blood test results'],
  ['diego.ramirez', 'haruki.mori', -10, 4, AppointmentStatus.Completed, 'Child fever follow-up'],
  ['diego.ramirez', 'ada.lovelace', 5, 1, AppointmentStatus.Confirmed, 'School health form'],
  ['anna.schmidt', 'ada.lovelace', 6, 2, AppointmentStatus.PendingPayment, 'Palpitations'],
  ['emily.carter', 'grace.hopper', 3, 4, AppointmentStatus.PendingPayment, 'Ear infection'],
].map(([doctor, patient, days, slot, status, reason]) => ({
  key: `${doctor}/${patient}/${days}`,
  doctor: doctor as string,
  patient: patient as string,
  days: days as number,
  slot: slot as number,
  status: status as AppointmentSeed['status'],
  reason: reason as string,
}));

export const seedEmail = (key: string): string => `${key}@${SEED_EMAIL_DOMAIN}`;

interface VisitTypeSeed {
  key: string;
  name: string;
  description: string;
  durationMinutes: number;
  priceMinor: number;
  bufferAfterMinutes: number;
  mode: 'in_person' | 'video' | 'phone';
  requiresApproval: boolean;
  changeCutoffHours: number;
  questions: object[];
}

/**
 * Beside the default "Consultation" (made with the profile): a free, short repeat
 * prescription by video with questions for every doctor, and for every other doctor a
 * longer new-patient visit that the doctor approves, with time after it to write notes.
 */
export function visitTypesOf(doctor: DoctorSeed, index: number, feeMinor: number): VisitTypeSeed[] {
  const types: VisitTypeSeed[] = [
    {
      key: 'repeat-prescription',
      name: 'Repeat prescription',
      description: 'A short video call to renew a prescription you already take.',
      durationMinutes: Math.max(10, Math.min(doctor.slotMinutes, 15)),
      priceMinor: 0,
      bufferAfterMinutes: 0,
      mode: 'video',
      requiresApproval: false,
      changeCutoffHours: 2,
      questions: [
        {
          key: 'medication',
          label: 'Which medication, and what dose?',
          kind: 'text',
          required: true,
        },
        {
          key: 'pharmacy',
          label: 'How would you like to get it?',
          kind: 'single_choice',
          required: true,
          options: ['Collect from the practice', 'Send to my pharmacy'],
        },
      ],
    },
  ];
  if (index % 2 === 0) {
    types.push({
      key: 'new-patient',
      name: 'New-patient consultation',
      description: 'A first, longer visit; the doctor confirms the request first.',
      durationMinutes: Math.min(doctor.slotMinutes * 2, 120),
      priceMinor: Math.round(feeMinor * 1.5),
      bufferAfterMinutes: 15,
      mode: 'in_person',
      requiresApproval: true,
      changeCutoffHours: 24,
      questions: [
        { key: 'symptoms', label: 'What brings you in?', kind: 'long_text', required: true },
        { key: 'referred', label: 'Were you referred by another doctor?', kind: 'boolean' },
        { key: 'since', label: 'Since when?', kind: 'date' },
      ],
    });
  }
  return types;
}

/** A stable UUID for a seed key: the same appointment on every run. */
function seedUuid(key: string): string {
  const hex = createHash('sha256').update(`doctor-appointment-seed:${key}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface SeedAccount {
  role: UserRole;
  email: string;
  name: string;
  note: string;
}

export interface SeedCounts {
  specialties: number;
  doctors: number;
  visitTypes: number;
  patients: number;
  admins: number;
  availabilityRules: number;
  doctorSpecialties: number;
  appointments: Record<string, number>;
  statusChanges: number;
}

export interface SeedOptions {
  password: string;
  /** PAYMENT_HOLD_MINUTES: how long the pending demo bookings hold their slot. */
  holdMinutes: number;
  now?: Date;
}

async function upsertUser(
  manager: EntityManager,
  person: PersonSeed,
  role: UserRole,
  passwordHash: string,
): Promise<string> {
  const [row] = await manager.query(
    `INSERT INTO users (email, password_hash, role, first_name, last_name, timezone, email_verified_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role,
       first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, timezone = EXCLUDED.timezone,
       email_verified_at = COALESCE(users.email_verified_at, now()), deactivated_at = NULL
     RETURNING id`,
    [seedEmail(person.key), passwordHash, role, person.firstName, person.lastName, person.timezone],
  );
  return row.id as string;
}

/** Start of slot number `slot` of the first window of the doctor's working day `days` away. */
function slotStart(doctor: DoctorSeed, days: number, slot: number, now: Date): DateTime {
  const today = DateTime.fromJSDate(now, { zone: doctor.timezone }).startOf('day');
  // Step away from today (further into the past or future) until a working day comes up.
  const step = days < 0 ? -1 : 1;
  for (let offset = days; Math.abs(offset) < Math.abs(days) + 8; offset += step) {
    const day = today.plus({ days: offset });
    const window = doctor.hours.find(([weekdays]) => weekdays.includes(day.weekday % 7));
    if (!window) continue;
    const [hour, minute] = window[1].split(':').map(Number);
    return day.set({ hour, minute }).plus({ minutes: slot * doctor.slotMinutes });
  }
  throw new Error(`${doctor.key} has no working day near ${days} days from now`);
}

/** Writes the demo data; every statement is an upsert, so running it again changes no count. */
export async function seedDemoData(
  dataSource: DataSource,
  options: SeedOptions,
): Promise<SeedAccount[]> {
  if (options.password.length < PASSWORD_MIN_LENGTH) {
    throw new Error(`SEED_PASSWORD must have at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  const now = options.now ?? new Date();
  // One hash for all demo accounts: they share the password, and argon2 is slow on purpose.
  const passwordHash = await hashPassword(options.password);
  const accounts: SeedAccount[] = [];

  await dataSource.transaction(async (manager) => {
    const specialtyIds = new Map<string, string>();
    for (const specialty of SPECIALTIES) {
      const [row] = await manager.query(
        `INSERT INTO specialties (name, description) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description RETURNING id`,
        [specialty.name, specialty.description],
      );
      specialtyIds.set(specialty.name, row.id);
    }

    await upsertUser(manager, ADMIN, UserRole.Admin, passwordHash);
    accounts.push({
      role: UserRole.Admin,
      email: seedEmail(ADMIN.key),
      name: 'Demo Admin',
      note: 'Bull Board, admin routes',
    });

    const doctorIds = new Map<string, string>();
    for (const doctor of DOCTORS) {
      const id = await upsertUser(manager, doctor, UserRole.Doctor, passwordHash);
      doctorIds.set(doctor.key, id);
      const fee = parseMoney(doctor.fee);
      await manager.query(
        `INSERT INTO doctor_profiles (user_id, bio, fee_minor, currency, slot_duration_minutes, timezone, active)
         VALUES ($1, $2, $3, $4, $5, $6, true)
         ON CONFLICT (user_id) DO UPDATE SET bio = EXCLUDED.bio, fee_minor = EXCLUDED.fee_minor,
           currency = EXCLUDED.currency, slot_duration_minutes = EXCLUDED.slot_duration_minutes,
           timezone = EXCLUDED.timezone, active = true`,
        [id, doctor.bio, fee.minor, fee.currency, doctor.slotMinutes, doctor.timezone],
      );
      // The profile made the default type; a re-run keeps it in step with the profile.
      await manager.query(
        `UPDATE visit_types SET duration_minutes = $2, price_minor = $3, currency = $4, active = true
          WHERE doctor_id = $1 AND position = 0 AND name = 'Consultation'`,
        [id, doctor.slotMinutes, fee.minor, fee.currency],
      );
      for (const [position, type] of visitTypesOf(
        doctor,
        DOCTORS.indexOf(doctor),
        fee.minor,
      ).entries()) {
        await manager.query(
          `INSERT INTO visit_types (id, doctor_id, name, description, duration_minutes, price_minor, currency,
             buffer_after_minutes, mode, requires_approval, change_cutoff_hours, questions, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
           ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
             duration_minutes = EXCLUDED.duration_minutes, price_minor = EXCLUDED.price_minor,
             currency = EXCLUDED.currency, buffer_after_minutes = EXCLUDED.buffer_after_minutes,
             mode = EXCLUDED.mode, requires_approval = EXCLUDED.requires_approval,
             change_cutoff_hours = EXCLUDED.change_cutoff_hours, questions = EXCLUDED.questions,
             position = EXCLUDED.position, active = true`,
          [
            seedUuid(`${doctor.key}:${type.key}`),
            id,
            type.name,
            type.description,
            type.durationMinutes,
            type.priceMinor,
            fee.currency,
            type.bufferAfterMinutes,
            type.mode,
            type.requiresApproval,
            type.changeCutoffHours,
            JSON.stringify(type.questions),
            position + 1,
          ],
        );
      }
      // The seed owns these doctors' specialties and hours: replaced as a whole.
      await manager.query('DELETE FROM doctor_specialties WHERE doctor_id = $1', [id]);
      for (const name of doctor.specialties) {
        await manager.query(
          'INSERT INTO doctor_specialties (doctor_id, specialty_id) VALUES ($1, $2)',
          [id, specialtyIds.get(name)],
        );
      }
      await manager.query('DELETE FROM availability_rules WHERE doctor_id = $1', [id]);
      for (const [weekdays, start, end] of doctor.hours) {
        for (const dayOfWeek of weekdays) {
          await manager.query(
            'INSERT INTO availability_rules (doctor_id, day_of_week, start_time, end_time) VALUES ($1, $2, $3, $4)',
            [id, dayOfWeek, start, end],
          );
        }
      }
      const price = fee.minor === 0 ? 'free' : `${doctor.fee.amount} ${doctor.fee.currency}`;
      accounts.push({
        role: UserRole.Doctor,
        email: seedEmail(doctor.key),
        name: `Dr. ${doctor.firstName} ${doctor.lastName}`,
        note: `${doctor.specialties.join(', ')} · ${doctor.timezone} · ${price}`,
      });
    }

    const patientIds = new Map<string, string>();
    for (const patient of PATIENTS) {
      patientIds.set(
        patient.key,
        await upsertUser(manager, patient, UserRole.Patient, passwordHash),
      );
      accounts.push({
        role: UserRole.Patient,
        email: seedEmail(patient.key),
        name: `${patient.firstName} ${patient.lastName}`,
        note: patient.timezone,
      });
    }

    for (const appointment of APPOINTMENTS) {
      const doctor = DOCTORS.find((d) => d.key === appointment.doctor)!;
      const startsAt = slotStart(doctor, appointment.days, appointment.slot, now);
      const fee = parseMoney(doctor.fee);
      const pending = appointment.status === AppointmentStatus.PendingPayment;
      const doctorId = doctorIds.get(appointment.doctor);
      const patientId = patientIds.get(appointment.patient);
      // Fixed id + DO NOTHING: a later run keeps what an earlier run (or the user) made of it.
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO appointments (id, doctor_id, patient_id, starts_at, ends_at, status, reason, fee_minor,
           currency, hold_expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          seedUuid(appointment.key),
          doctorId,
          patientId,
          startsAt.toJSDate(),
          startsAt.plus({ minutes: doctor.slotMinutes }).toJSDate(),
          appointment.status,
          appointment.reason,
          fee.minor,
          fee.currency,
          pending ? new Date(now.getTime() + options.holdMinutes * 60_000) : null,
        ],
      );
      if (inserted.length === 0) continue;
      const history: [AppointmentStatus | null, AppointmentStatus, string | null][] =
        appointment.status === AppointmentStatus.Completed
          ? [
              [null, AppointmentStatus.Confirmed, 'booked (demo data)'],
              [AppointmentStatus.Confirmed, AppointmentStatus.Completed, null],
            ]
          : [[null, appointment.status, 'booked (demo data)']];
      for (const [fromStatus, toStatus, reason] of history) {
        await manager.query(
          `INSERT INTO appointment_status_history (appointment_id, from_status, to_status, actor_id, reason)
           VALUES ($1, $2, $3, $4, $5)`,
          [inserted[0].id, fromStatus, toStatus, fromStatus ? doctorId : patientId, reason],
        );
      }
    }
  });
  return accounts;
}

/** Counts of the seed's own rows (other data in the database is not counted). */
export async function countSeedRows(dataSource: DataSource): Promise<SeedCounts> {
  const domain = `%@${SEED_EMAIL_DOMAIN}`;
  const [users] = await dataSource.query(
    `SELECT count(*) FILTER (WHERE role = 'doctor')::int AS doctors,
            count(*) FILTER (WHERE role = 'patient')::int AS patients,
            count(*) FILTER (WHERE role = 'admin')::int AS admins
       FROM users WHERE email LIKE $1`,
    [domain],
  );
  const scalar = async (sql: string, params: unknown[]): Promise<number> =>
    (await dataSource.query(sql, params))[0].count as number;
  const seedDoctors = `SELECT id FROM users WHERE email LIKE $1 AND role = 'doctor'`;
  const statuses: { status: string; count: number }[] = await dataSource.query(
    `SELECT status, count(*)::int AS count FROM appointments WHERE doctor_id IN (${seedDoctors})
      GROUP BY status ORDER BY status`,
    [domain],
  );
  return {
    specialties: await scalar(
      'SELECT count(*)::int AS count FROM specialties WHERE name = ANY($1)',
      [SPECIALTIES.map((s) => s.name)],
    ),
    doctors: await scalar(
      `SELECT count(*)::int AS count FROM doctor_profiles WHERE user_id IN (${seedDoctors})`,
      [domain],
    ),
    visitTypes: await scalar(
      `SELECT count(*)::int AS count FROM visit_types WHERE active AND doctor_id IN (${seedDoctors})`,
      [domain],
    ),
    patients: users.patients,
    admins: users.admins,
    availabilityRules: await scalar(
      `SELECT count(*)::int AS count FROM availability_rules WHERE doctor_id IN (${seedDoctors})`,
      [domain],
    ),
    doctorSpecialties: await scalar(
      `SELECT count(*)::int AS count FROM doctor_specialties WHERE doctor_id IN (${seedDoctors})`,
      [domain],
    ),
    appointments: Object.fromEntries(statuses.map((s) => [s.status, s.count])),
    statusChanges: await scalar(
      `SELECT count(*)::int AS count FROM appointment_status_history
        WHERE appointment_id IN (SELECT id FROM appointments WHERE doctor_id IN (${seedDoctors}))`,
      [domain],
    ),
  };
}

/** Seeding a production database needs `--force` (or SEED_FORCE=true). */
export function seedRefusal(env: NodeJS.ProcessEnv, argv: string[]): string | null {
  if (env.NODE_ENV !== 'production') return null;
  if (argv.includes('--force') || env.SEED_FORCE === 'true') return null;
  return 'Refusing to seed: NODE_ENV=production. Demo accounts share a published password; pass --force (or SEED_FORCE=true) if you really mean it.';
}

async function main(): Promise<void> {
  const envFile = resolve(__dirname, '..', '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile); // as `npm start` does; real variables win
  const refusal = seedRefusal(process.env, process.argv.slice(2));
  if (refusal) {
    process.stderr.write(`${refusal}\n`);
    process.exit(1);
  }
  const config = loadConfigOrExit();
  const password = process.env.SEED_PASSWORD || DEFAULT_SEED_PASSWORD;
  await prepareDatabase(config);
  const dataSource = new DataSource(dataSourceOptions(config.database.url, { logging: ['error'] }));
  await dataSource.initialize();
  try {
    const accounts = await seedDemoData(dataSource, {
      password,
      holdMinutes: config.booking.holdMinutes,
    });
    const counts = await countSeedRows(dataSource);
    const width = Math.max(...accounts.map((a) => a.email.length));
    const out = [
      `Seeded ${config.database.name}: ${JSON.stringify(counts)}`,
      '',
      `Logins (password for all: ${password}):`,
    ];
    for (const role of [UserRole.Admin, UserRole.Doctor, UserRole.Patient]) {
      out.push(`  ${role}s`);
      for (const a of accounts.filter((x) => x.role === role)) {
        out.push(`    ${a.email.padEnd(width)}  ${a.name} (${a.note})`);
      }
    }
    out.push(
      '',
      `Try: curl -s localhost:${config.http.port}/api/v1/auth/login -H 'Content-Type: application/json' ` +
        `-d '{"email":"${seedEmail('ada.lovelace')}","password":"${password}"}'`,
    );
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `seed failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
