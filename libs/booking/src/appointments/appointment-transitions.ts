import type { EntityManager, FindOptionsWhere } from 'typeorm';
import { Appointment, AppointmentStatus, AppointmentStatusChange } from '@app/database';
import { assertTransition } from './appointment-status';
import { AppointmentNotFoundError } from './booking.errors';

/** Loads and row-locks an appointment for a change; 404 when the scope does not match. */
export async function lockAppointment(
  manager: EntityManager,
  where: FindOptionsWhere<Appointment>,
): Promise<Appointment> {
  const appointment = await manager.getRepository(Appointment).findOne({
    where,
    lock: { mode: 'pessimistic_write' },
  });
  if (!appointment) throw new AppointmentNotFoundError();
  return appointment;
}

export async function recordStatusChange(
  manager: EntityManager,
  appointmentId: string,
  from: AppointmentStatus | null,
  to: AppointmentStatus,
  actorId: string | null,
  reason: string | null,
): Promise<void> {
  await manager
    .getRepository(AppointmentStatusChange)
    .insert({ appointmentId, fromStatus: from, toStatus: to, actorId, reason });
}

/** Moves an appointment through the status machine and records who, when and why. */
export async function applyTransition(
  manager: EntityManager,
  appointment: Appointment,
  to: AppointmentStatus,
  actorId: string | null,
  reason: string | null,
  patch: Partial<
    Pick<
      Appointment,
      | 'cancelledAt'
      | 'cancelledBy'
      | 'cancellationReason'
      | 'holdExpiresAt'
      | 'declinedAt'
      | 'declineReason'
    >
  > = {},
): Promise<Appointment> {
  const from = appointment.status;
  assertTransition(from, to);
  Object.assign(appointment, patch, { status: to });
  await manager
    .getRepository(Appointment)
    .update({ id: appointment.id }, { ...patch, status: to, version: () => 'version + 1' });
  await recordStatusChange(manager, appointment.id, from, to, actorId, reason);
  return appointment;
}
