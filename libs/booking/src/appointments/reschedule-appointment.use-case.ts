import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { AuditAction, AuditContext, AuditResource, AuditTrail } from '@app/core';
import { Appointment, AppointmentStatus, AuditOutcome, UserRole } from '@app/database';
import { EventType, recordEvents, recordJobs } from '@app/queues';
import { approvalDeadlineJob } from '../jobs/approval-deadline.job';
import { holdExpireJob } from '../jobs/hold-expire.job';
import { visitTimes } from './book-appointment.use-case';
import { assertBeforeCutoff } from './change-cutoff';
import { DomainError, ErrorCode } from '@app/common';
import { lockDoctorSchedule, ScheduleLock } from '../availability/doctor-schedule-lock';
import { SlotService } from '../slots/slot.service';
import { AppointmentPayments } from './appointment-payments';
import { visibleTo } from './appointment-scope';
import { InvalidTransitionError, isLive } from './appointment-status';
import { applyTransition, lockAppointment, recordStatusChange } from './appointment-transitions';
import {
  AppointmentNotFoundError,
  overlapError,
  refusalError,
  TooLateToChangeError,
} from './booking.errors';

/**
 * Moves an appointment to another slot atomically: in one transaction the old one becomes
 * `rescheduled` and the new one is inserted in its state; if the new slot is taken the
 * transaction rolls back and the old appointment is untouched. Nobody moves an appointment
 * that has started.
 */
@Injectable()
export class RescheduleAppointment {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly slots: SlotService,
    private readonly payments: AppointmentPayments,
    private readonly auditTrail: AuditTrail,
  ) {}

  async execute(
    actor: AuthUser,
    appointmentId: string,
    startsAt: Date,
    audit: AuditContext,
  ): Promise<Appointment> {
    if (actor.role === UserRole.Admin) {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        'Only the patient or the doctor of an appointment can reschedule it',
      );
    }
    const current = await this.db
      .getRepository(Appointment)
      .findOne({ where: visibleTo(actor, { id: appointmentId }) });
    if (!current) throw new AppointmentNotFoundError();
    if (!isLive(current.status))
      throw new InvalidTransitionError(current.status, AppointmentStatus.Rescheduled);
    // Moving a started or past appointment would carry its payment past a no-show.
    if (current.startsAt.getTime() <= Date.now()) throw new TooLateToChangeError();
    if (actor.role === UserRole.Patient) assertBeforeCutoff(current);
    const doctor = await this.slots.getDoctorForBooking(current.doctorId);
    // The visit as it was booked: later changes of its type apply to new bookings only.
    const visit = bookedVisit(current);
    try {
      return await this.db.transaction(async (manager) => {
        await lockDoctorSchedule(manager, doctor.userId, ScheduleLock.Book);
        const judged = await this.slots.judgeStart(doctor, visit, startsAt, { manager });
        if (judged.slot === null) throw refusalError(judged.refusal);
        const { slot } = judged;
        const old = await lockAppointment(manager, visibleTo(actor, { id: appointmentId }));
        const status = old.status;
        await applyTransition(manager, old, AppointmentStatus.Rescheduled, actor.id, 'rescheduled');
        const repo = manager.getRepository(Appointment);
        const moved = await repo.save(
          repo.create({
            doctorId: old.doctorId,
            patientId: old.patientId,
            ...visitTimes(visit, slot.start),
            visitTypeId: old.visitTypeId,
            status,
            reason: old.reason,
            answers: old.answers,
            feeMinor: old.feeMinor,
            currency: old.currency,
            changeCutoffHours: old.changeCutoffHours,
            holdExpiresAt: old.holdExpiresAt,
            approvalDeadlineAt: old.approvalDeadlineAt
              ? new Date(Math.min(old.approvalDeadlineAt.getTime(), slot.start.getTime()))
              : null,
            seriesId: old.seriesId,
            rescheduledFromId: old.id,
          }),
        );
        await recordStatusChange(
          manager,
          moved.id,
          null,
          status,
          actor.id,
          `rescheduled from ${old.id}`,
        );
        await this.payments.move(manager, old.id, moved.id);
        await recordEvents(manager, [
          {
            type: EventType.AppointmentRescheduled,
            payload: { appointmentId: moved.id, previousAppointmentId: old.id },
          },
          {
            type: EventType.SlotFreed,
            payload: {
              doctorId: old.doctorId,
              startsAt: old.startsAt.toISOString(),
              endsAt: old.endsAt.toISOString(),
            },
          },
        ]);
        if (moved.status === AppointmentStatus.PendingPayment && moved.holdExpiresAt) {
          await recordJobs(manager, [
            holdExpireJob.with({ appointmentId: moved.id }, moved.holdExpiresAt),
          ]);
        }
        if (moved.status === AppointmentStatus.PendingApproval && moved.approvalDeadlineAt) {
          await recordJobs(manager, [
            approvalDeadlineJob.with({ appointmentId: moved.id }, moved.approvalDeadlineAt),
          ]);
        }
        // Under the id the action was asked on; the new appointment points back at it.
        await this.auditTrail.record(manager, {
          ...audit,
          action: AuditAction.AppointmentReschedule,
          resourceType: AuditResource.Appointment,
          resourceId: old.id,
          outcome: AuditOutcome.Allowed,
        });
        return moved;
      });
    } catch (error) {
      throw overlapError(error) ?? error;
    }
  }
}

/** Length and buffers of a booked appointment, read from its own times. */
function bookedVisit(appointment: Appointment) {
  const minutes = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 60_000);
  return {
    durationMinutes: minutes(appointment.startsAt, appointment.endsAt),
    bufferBeforeMinutes: minutes(appointment.blockedFrom, appointment.startsAt),
    bufferAfterMinutes: minutes(appointment.endsAt, appointment.blockedTo),
  };
}
