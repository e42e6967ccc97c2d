import { UserRole } from '@app/database';
import { Actor, createActor, createDoctor, DoctorSetup, everyDay } from './doctor-helpers';
import { TestApp } from './test-app';

export type { Actor } from './doctor-helpers';

/** Users straight in the database with signed tokens: fixtures for booking tests. */
export class BookingFixtures {
  constructor(private readonly app: TestApp) {}

  patient(): Promise<Actor> {
    return createActor(this.app, UserRole.Patient);
  }

  admin(): Promise<Actor> {
    return createActor(this.app, UserRole.Admin);
  }

  /** A doctor who works every day, all day, free of charge unless told otherwise. */
  doctor(setup: DoctorSetup = {}): Promise<Actor> {
    return createDoctor(this.app, {
      lastName: 'House',
      feeMinor: 0,
      rules: everyDay('00:00', '24:00'),
      ...setup,
    });
  }
}

/** A slot start on the hour grid, `hoursAhead` from now (past the default 60-minute notice). */
export function slotAt(hoursAhead: number, minute = 0): string {
  const d = new Date();
  d.setUTCMinutes(minute, 0, 0);
  d.setUTCHours(d.getUTCHours() + hoursAhead);
  return d.toISOString();
}
