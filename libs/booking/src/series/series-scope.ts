import type { FindOptionsWhere } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { AppointmentSeries, UserRole } from '@app/database';

/** The series a user may see: a patient theirs, a doctor theirs, an admin all (in the query). */
export function seriesVisibleTo(actor: AuthUser, id: string): FindOptionsWhere<AppointmentSeries> {
  switch (actor.role) {
    case UserRole.Admin:
      return { id };
    case UserRole.Doctor:
      return { id, doctorId: actor.id };
    default:
      return { id, patientId: actor.id };
  }
}
