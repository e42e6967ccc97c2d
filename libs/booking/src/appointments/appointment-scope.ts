import type { FindOptionsWhere } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Appointment, UserRole } from '@app/database';

/**
 * The appointments a user may see: a patient theirs, a doctor theirs, an admin all.
 * Applied in the query itself, so a forgotten check finds nothing rather than too much.
 */
export function visibleTo(
  actor: AuthUser,
  extra: FindOptionsWhere<Appointment> = {},
): FindOptionsWhere<Appointment> {
  switch (actor.role) {
    case UserRole.Admin:
      return extra;
    case UserRole.Doctor:
      return { ...extra, doctorId: actor.id };
    default:
      return { ...extra, patientId: actor.id };
  }
}
