import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { AppConfig } from '@app/config';
import { AuditAction, AuditContext, AuditResource, AuditTrail } from '@app/core';
import { Appointment, AppointmentStatus, AuditOutcome, UserRole } from '@app/database';
import { DomainEvent, EventType, recordEvents } from '@app/queues';
import { AppointmentPayments } from './appointment-payments';
import { rescheduleChain } from './appointment-queries';
import { visibleTo } from './appointment-scope';
import { assertTransition } from './appointment-status';
import { applyTransition, lockAppointment } from './appointment-transitions';
import { TooLateToChangeError } from './booking.errors';
import { assertBeforeCutoff } from './change-cutoff';

/**
 * Cancels a live appointment and frees its slot. A paid appointment is refunded in full
 * when cancelled early enough, or by the doctor's side; the refund itself runs in the worker.
 * A patient cannot cancel once the appointment has started; the doctor and admins still can.
 */
@Injectable()
export class CancelAppointment {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly payments: AppointmentPayments,
    private readonly auditTrail: AuditTrail,
  ) {}

  async execute(
    actor: AuthUser,
    appointmentId: string,
    reason: string | null,
    audit: AuditContext,
  ): Promise<Appointment> {
    return this.db.transaction((manager) =>
      this.within(manager, actor, appointmentId, reason, audit),
    );
  }

  /**
   * The same cancellation inside the caller's transaction. `ignoreCutoff`: an account being
   * erased cancels even inside the visit type's change cutoff; the refund policy still applies.
   */
  async within(
    manager: EntityManager,
    actor: AuthUser,
    appointmentId: string,
    reason: string | null,
    audit: AuditContext,
    options: { ignoreCutoff?: boolean } = {},
  ): Promise<Appointment> {
    const appointment = await lockAppointment(manager, visibleTo(actor, { id: appointmentId }));
    await this.cancelLocked(manager, actor, appointment, reason, new Date(), undefined, options);
    await this.auditTrail.record(manager, {
      ...audit,
      action: AuditAction.AppointmentCancel,
      resourceType: AuditResource.Appointment,
      resourceId: appointmentId,
      outcome: AuditOutcome.Allowed,
    });
    return appointment;
  }

  /**
   * Cancels a locked appointment by the rules above, in the caller's transaction (a series
   * cancel runs it per occurrence, with `seriesId` so the series' one message tells of it,
   * and opens one refund for all the shares owed itself). Answers whether a refund is owed.
   */
  async cancelLocked(
    manager: EntityManager,
    actor: AuthUser,
    appointment: Appointment,
    reason: string | null,
    now: Date,
    seriesId?: string,
    options: { ignoreCutoff?: boolean } = {},
  ): Promise<boolean> {
    const series = seriesId !== undefined;
    assertTransition(appointment.status, AppointmentStatus.Cancelled);
    if (actor.role === UserRole.Patient && appointment.startsAt <= now)
      throw new TooLateToChangeError();
    if (actor.role === UserRole.Patient && !options.ignoreCutoff)
      assertBeforeCutoff(appointment, now.getTime());
    await applyTransition(manager, appointment, AppointmentStatus.Cancelled, actor.id, reason, {
      cancelledAt: now,
      cancelledBy: actor.id,
      cancellationReason: reason,
    });
    const refund =
      (await this.payments.isPaid(manager, appointment.id)) &&
      (actor.role !== UserRole.Patient ||
        (await this.hoursAhead(manager, appointment, now)) >= this.config.booking.fullRefundHours);
    // Opened with the cancellation itself: the money owed back cannot be lost on the way.
    if (refund && !series)
      await this.payments.refund(manager, appointment.id, 'appointment cancelled');
    await recordEvents(manager, cancellationEvents(appointment, actor.id, refund, seriesId));
    return refund;
  }

  /**
   * Notice given, judged from the earliest start in the appointment's reschedule chain (the
   * first booking's, unless it was moved closer): rescheduling does not reset the refund clock.
   */
  private async hoursAhead(
    manager: EntityManager,
    appointment: Appointment,
    now: Date,
  ): Promise<number> {
    const chain = await rescheduleChain(manager, appointment.id);
    const earliest = Math.min(
      appointment.startsAt.getTime(),
      ...chain.map((link) => link.startsAt.getTime()),
    );
    return (earliest - now.getTime()) / 3_600_000;
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
  seriesId?: string,
): DomainEvent[] {
  return [
    {
      type: EventType.AppointmentCancelled,
      payload: {
        appointmentId: appointment.id,
        cancelledBy,
        refund,
        ...(seriesId ? { seriesId } : {}),
      },
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
