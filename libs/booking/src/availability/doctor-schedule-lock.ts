import type { EntityManager } from 'typeorm';

/** How a transaction holds a doctor's schedule (weekly hours and time off). */
export enum ScheduleLock {
  /** Booking against the schedule: bookings of one doctor still run side by side. */
  Book = 'FOR SHARE',
  /** Changing the schedule: waits for bookings in flight, and new ones wait for it. */
  Change = 'FOR UPDATE',
}

/**
 * Locks the doctor's profile row for the rest of the transaction, so a booking judged against
 * the schedule and a change to that schedule never interleave: time off created while a
 * booking is in flight either refuses it or lists it among its affected appointments. The
 * weekly hours replacement takes the same row FOR UPDATE.
 */
export async function lockDoctorSchedule(
  manager: EntityManager,
  doctorId: string,
  mode: ScheduleLock,
): Promise<void> {
  await manager.query(`SELECT 1 FROM doctor_profiles WHERE user_id = $1 ${mode}`, [doctorId]);
}
