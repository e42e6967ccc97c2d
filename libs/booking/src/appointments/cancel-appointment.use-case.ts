import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { AppConfig } from '@app/config';
import { Appointment, AppointmentStatus, Payment, PaymentStatus, UserRole } from '@app/database';
import { DomainEvent, EventType, recordEvents } from '@app/queues';
import { visibleTo } from './appointment-scope';
import { applyTransition, lockAppointment } from './appointment-transitions';

/**
 * Cancels a live appointment and frees its slot. A paid appointment is refunded in full
 * when cancelled early enough, or by the doctor's side; the refund itself runs in the worker.
 */
@Injectable()
export class CancelAppointment {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  async execute(
    actor: AuthUser,
    appointmentId: string,
    reason: string | null,
  ): Promise<Appointment> {
    return this.db.transaction(async (manager) => {
      const appointment = await lockAppointment(manager, visibleTo(actor, { id: appointmentId }));
      const now = new Date();
      await applyTransition(manager, appointment, AppointmentStatus.Cancelled, actor.id, reason, {
        cancelledAt: now,
        cancelledBy: actor.id,
        cancellationReason: reason,
      });
      const captured = await manager.getRepository(Payment).exists({
        where: { appointmentId, status: PaymentStatus.Captured },
      });
      const hoursAhead = (appointment.startsAt.getTime() - now.getTime()) / 3_600_000;
      const refund =
        captured &&
        (actor.role !== UserRole.Patient || hoursAhead >= this.config.booking.fullRefundHours);
      await recordEvents(manager, cancellationEvents(appointment, actor.id, refund));
      return appointment;
    });
  }
}

/**
 * What every cancellation announces, whoever cancels: both sides are told (and a refund
 * opened when `refund`), and the freed slot reaches the waitlist.
 */
export function cancellationEvents(
  appointment: Pick<Appointment, 'id' | 'doctorId' | 'startsAt' | 'endsAt'>,
  cancelledBy: string | null,
  refund: boolean,
): DomainEvent[] {
  return [
    {
      type: EventType.AppointmentCancelled,
      payload: { appointmentId: appointment.id, cancelledBy, refund },
    },
    {
      type: EventType.SlotFreed,
      payload: {
        doctorId: appointment.doctorId,
        startsAt: appointment.startsAt.toISOString(),
        endsAt: appointment.endsAt.toISOString(),
      },
    },
  ];
}
