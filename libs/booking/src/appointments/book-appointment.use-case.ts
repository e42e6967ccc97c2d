import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { AppConfig } from '@app/config';
import { AuditAction, AuditContext, AuditResource, AuditTrail } from '@app/core';
import { Appointment, AppointmentStatus, AuditOutcome, VisitType } from '@app/database';
import { DomainEvent, EventType, recordWork } from '@app/queues';
import { approvalDeadlineJob } from '../jobs/approval-deadline.job';
import { holdExpireJob } from '../jobs/hold-expire.job';
import { lockDoctorSchedule, ScheduleLock } from '../availability/doctor-schedule-lock';
import { SlotService } from '../slots/slot.service';
import { validateAnswers } from '../visit-types/intake';
import { recordStatusChange } from './appointment-transitions';
import { overlapError, refusalError } from './booking.errors';

export interface BookAppointmentInput {
  doctorId: string;
  startsAt: Date;
  /** Default: the doctor's first active visit type. */
  visitTypeId?: string;
  reason?: string | null;
  /** Keyed by question key; checked against the visit type's questions. */
  answers?: unknown;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Where a new booking of `type` starts: waiting for the doctor, for the payment, or confirmed. */
export function initialStatus(type: Pick<VisitType, 'requiresApproval' | 'priceMinor'>) {
  if (type.requiresApproval) return AppointmentStatus.PendingApproval;
  return type.priceMinor === 0 ? AppointmentStatus.Confirmed : AppointmentStatus.PendingPayment;
}

/** The visit of `type` at `start` with its blocked range (the buffers around it). */
export function visitTimes(
  type: Pick<VisitType, 'durationMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>,
  start: Date,
): Pick<Appointment, 'startsAt' | 'endsAt' | 'blockedFrom' | 'blockedTo'> {
  const end = start.getTime() + type.durationMinutes * MINUTE_MS;
  return {
    startsAt: start,
    endsAt: new Date(end),
    blockedFrom: new Date(start.getTime() - type.bufferBeforeMinutes * MINUTE_MS),
    blockedTo: new Date(end + type.bufferAfterMinutes * MINUTE_MS),
  };
}

/**
 * Books a visit. Whether the time is a slot is checked against the doctor's hours and time
 * off inside the transaction, under the doctor's schedule lock; whether it is free (its
 * blocked range against other bookings') is decided by the database's exclusion constraint,
 * whatever the concurrency.
 */
@Injectable()
export class BookAppointment {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly slots: SlotService,
    private readonly config: AppConfig,
    private readonly auditTrail: AuditTrail,
  ) {}

  async execute(
    patient: AuthUser,
    input: BookAppointmentInput,
    audit: AuditContext,
  ): Promise<Appointment> {
    const doctor = await this.slots.getDoctorForBooking(input.doctorId);
    const type = await this.slots.visitTypeForBooking(doctor.userId, input.visitTypeId);
    const answers = validateAnswers(type.questions, input.answers);
    const status = initialStatus(type);
    try {
      return await this.db.transaction(async (manager) => {
        // Judged under the schedule lock, so time off created meanwhile either refuses this
        // booking or lists it among its affected appointments.
        await lockDoctorSchedule(manager, doctor.userId, ScheduleLock.Book);
        const judged = await this.slots.judgeStart(doctor, type, input.startsAt, { manager });
        if (judged.slot === null) throw refusalError(judged.refusal);
        const { slot } = judged;
        const now = Date.now();
        const repo = manager.getRepository(Appointment);
        // insert() fills in the generated columns too, without save()'s change tracking.
        const appointment = repo.create({
          doctorId: doctor.userId,
          patientId: patient.id,
          ...visitTimes(type, slot.start),
          visitTypeId: type.id,
          status,
          reason: input.reason ?? null,
          answers: answers.length > 0 ? answers : null,
          feeMinor: type.priceMinor,
          currency: type.currency.trim(),
          changeCutoffHours: type.changeCutoffHours,
          holdExpiresAt:
            status === AppointmentStatus.PendingPayment
              ? new Date(now + this.config.booking.holdMinutes * MINUTE_MS)
              : null,
          approvalDeadlineAt:
            status === AppointmentStatus.PendingApproval
              ? new Date(Math.min(now + type.approvalDeadlineHours * HOUR_MS, slot.start.getTime()))
              : null,
        });
        await repo.insert(appointment);
        await recordStatusChange(manager, appointment.id, null, status, patient.id, 'booked');
        const events: DomainEvent[] = [
          { type: EventType.AppointmentBooked, payload: { appointmentId: appointment.id } },
        ];
        if (status === AppointmentStatus.Confirmed)
          events.push({
            type: EventType.AppointmentConfirmed,
            payload: { appointmentId: appointment.id },
          });
        const jobs = [];
        if (appointment.holdExpiresAt)
          jobs.push(
            holdExpireJob.with({ appointmentId: appointment.id }, appointment.holdExpiresAt),
          );
        if (appointment.approvalDeadlineAt)
          jobs.push(
            approvalDeadlineJob.with(
              { appointmentId: appointment.id },
              appointment.approvalDeadlineAt,
            ),
          );
        await recordWork(manager, { events, jobs });
        await this.auditTrail.record(manager, {
          ...audit,
          action: AuditAction.AppointmentCreate,
          resourceType: AuditResource.Appointment,
          resourceId: appointment.id,
          outcome: AuditOutcome.Allowed,
        });
        return appointment;
      });
    } catch (error) {
      throw overlapError(error) ?? error;
    }
  }
}
