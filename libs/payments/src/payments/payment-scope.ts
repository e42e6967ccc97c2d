import type { FindOptionsWhere } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Payment, UserRole } from '@app/database';

/**
 * The payments a user may see: a patient those of their appointments and series, an admin
 * all, a doctor none. Applied in the query, so a forgotten check finds nothing.
 */
export function paymentsVisibleTo(
  actor: AuthUser,
  id: string,
): FindOptionsWhere<Payment> | FindOptionsWhere<Payment>[] | null {
  switch (actor.role) {
    case UserRole.Admin:
      return { id };
    case UserRole.Patient:
      return [
        { id, appointment: { patientId: actor.id } },
        { id, series: { patientId: actor.id } },
      ];
    default:
      return null;
  }
}
