import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import * as argon2 from 'argon2';
import {
  Appointment,
  AppointmentStatus,
  AvailabilityRule,
  DoctorProfile,
  User,
  UserRole,
} from '@app/database';
import { TestApp } from './test-app';

export const ACTOR_PASSWORD = 'correct horse battery staple';

/** A user created straight in the database, with a signed access token. */
export interface Actor {
  id: string;
  email: string;
  role: UserRole;
  token: string;
  /** `{ Authorization: 'Bearer …' }` for supertest's `.set()`. */
  auth: { Authorization: string };
}

export interface DoctorSetup {
  firstName?: string;
  lastName?: string;
  timezone?: string;
  slotDurationMinutes?: number;
  feeMinor?: number;
  currency?: string;
  bio?: string;
  active?: boolean;
  specialtyIds?: string[];
  rules?: { dayOfWeek: number; startTime: string; endTime: string }[];
}

let passwordHash: Promise<string> | undefined;

/** One argon2id hash per test file: hashing is deliberately slow. */
function hashedPassword(): Promise<string> {
  passwordHash ??= argon2.hash(ACTOR_PASSWORD, { type: argon2.argon2id });
  return passwordHash;
}

export async function createActor(
  app: TestApp,
  role: UserRole,
  overrides: Partial<User> = {},
): Promise<Actor> {
  const repo = app.dataSource.getRepository(User);
  const user = await repo.save(
    repo.create({
      email: `${role}-${randomUUID()}@example.test`,
      passwordHash: await hashedPassword(),
      firstName: role === UserRole.Doctor ? 'Dana' : 'Pat',
      lastName: randomUUID().slice(0, 8),
      role,
      timezone: 'UTC',
      emailVerifiedAt: new Date(),
      ...overrides,
    }),
  );
  const token = await app
    .get(JwtService)
    .signAsync({ sub: user.id, role: user.role, ver: user.tokenVersion ?? 0, typ: 'access' });
  return {
    id: user.id,
    email: user.email,
    role,
    token,
    auth: { Authorization: `Bearer ${token}` },
  };
}

/** A doctor account with a profile and, if given, weekly rules and specialties. */
export async function createDoctor(app: TestApp, setup: DoctorSetup = {}): Promise<Actor> {
  const doctor = await createActor(app, UserRole.Doctor, {
    ...(setup.firstName ? { firstName: setup.firstName } : {}),
    ...(setup.lastName ? { lastName: setup.lastName } : {}),
  });
  await app.dataSource.getRepository(DoctorProfile).insert({
    userId: doctor.id,
    timezone: setup.timezone ?? 'UTC',
    slotDurationMinutes: setup.slotDurationMinutes ?? 30,
    feeMinor: setup.feeMinor ?? 4500,
    currency: setup.currency ?? 'USD',
    bio: setup.bio ?? 'Test doctor',
    active: setup.active ?? true,
  });
  if (setup.rules?.length) {
    await app.dataSource
      .getRepository(AvailabilityRule)
      .insert(setup.rules.map((rule) => ({ ...rule, doctorId: doctor.id })));
  }
  if (setup.specialtyIds?.length) {
    await app.dataSource
      .createQueryBuilder()
      .relation(DoctorProfile, 'specialties')
      .of(doctor.id)
      .add(setup.specialtyIds);
  }
  return doctor;
}

/** Every day of the week with the same window. */
export function everyDay(startTime: string, endTime: string): DoctorSetup['rules'] {
  return [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({ dayOfWeek, startTime, endTime }));
}

/** A live (or other) appointment written directly, to occupy a doctor's time. */
export async function insertAppointment(
  app: TestApp,
  input: {
    doctorId: string;
    patientId: string;
    startsAt: Date;
    minutes: number;
    status?: AppointmentStatus;
  },
): Promise<Appointment> {
  const repo = app.dataSource.getRepository(Appointment);
  return repo.save(
    repo.create({
      doctorId: input.doctorId,
      patientId: input.patientId,
      startsAt: input.startsAt,
      endsAt: new Date(input.startsAt.getTime() + input.minutes * 60_000),
      status: input.status ?? AppointmentStatus.Confirmed,
      feeMinor: 4500,
      currency: 'USD',
    }),
  );
}
