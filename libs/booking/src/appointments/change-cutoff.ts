import type { Appointment } from '@app/database';
import { TooLateToChangeError } from './booking.errors';

/**
 * A patient's cancel or reschedule must come at least the visit type's cutoff (as booked)
 * before the start; doctors and admins are not bound by it.
 */
export function assertBeforeCutoff(
  appointment: Pick<Appointment, 'startsAt' | 'changeCutoffHours'>,
  now = Date.now(),
): void {
  const hours = appointment.changeCutoffHours;
  if (hours > 0 && appointment.startsAt.getTime() - now < hours * 3_600_000) {
    throw new TooLateToChangeError(
      `This visit can be changed by the patient until ${hours} hour${hours === 1 ? '' : 's'} before it starts`,
    );
  }
}
