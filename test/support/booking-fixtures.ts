import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { AvailabilityRule, DoctorProfile, User, UserRole } from '@app/database';
import { TestApp } from './test-app';

export interface Actor {
  id: string;
  email: string;
  token: string;
  role: UserRole;
}

export interface DoctorOptions {
  feeMinor?: number;
  currency?: string;
  slotDurationMinutes?: number;
  timezone?: string;
  /** Weekly windows; default: every day, all day. */
  rules?: { dayOfWeek: number; startTime: string; endTime: string }[];
}

/** Users straight in the database with signed tokens: fixtures for booking tests. */
export class BookingFixtures {
  constructor(private readonly app: TestApp) {}

  async user(role: UserRole, overrides: Partial<User> = {}): Promise<Actor> {
    const repo = this.app.dataSource.getRepository(User);
    const user = await repo.save(
      repo.create({
        email: `${role}-${randomUUID()}@example.test`,
        firstName: role === UserRole.Doctor ? 'Dana' : 'Pat',
        lastName: role === UserRole.Doctor ? 'House' : randomUUID().slice(0, 8),
        role,
        timezone: 'UTC',
        emailVerifiedAt: new Date(),
        ...overrides,
      }),
    );
    const token = await this.app
      .get(JwtService)
      .signAsync({ sub: user.id, role: user.role, ver: user.tokenVersion, typ: 'access' });
    return { id: user.id, email: user.email, token, role };
  }

  patient(): Promise<Actor> {
    return this.user(UserRole.Patient);
  }

  admin(): Promise<Actor> {
    return this.user(UserRole.Admin);
  }

  async doctor(options: DoctorOptions = {}): Promise<Actor> {
    const doctor = await this.user(UserRole.Doctor);
    await this.app.dataSource.getRepository(DoctorProfile).insert({
      userId: doctor.id,
      feeMinor: options.feeMinor ?? 0,
      currency: options.currency ?? 'USD',
      slotDurationMinutes: options.slotDurationMinutes ?? 30,
      timezone: options.timezone ?? 'UTC',
      bio: 'Test doctor',
    });
    const rules =
      options.rules ??
      [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({
        dayOfWeek,
        startTime: '00:00',
        endTime: '24:00',
      }));
    await this.app.dataSource
      .getRepository(AvailabilityRule)
      .insert(rules.map((r) => ({ ...r, doctorId: doctor.id })));
    return doctor;
  }
}

/** A slot start on the hour grid, `hoursAhead` from now (past the default 60-minute notice). */
export function slotAt(hoursAhead: number, minute = 0): string {
  const d = new Date();
  d.setUTCMinutes(minute, 0, 0);
  d.setUTCHours(d.getUTCHours() + hoursAhead);
  return d.toISOString();
}
