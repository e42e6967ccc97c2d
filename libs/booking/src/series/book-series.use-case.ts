import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { ErrorCode } from '@app/common';
import { AppConfig } from '@app/config';
import { AuditAction, AuditContext, AuditResource, AuditTrail } from '@app/core';
import {
  Appointment,
  AppointmentSeries,
  AppointmentStatus,
  AuditOutcome,
  DoctorProfile,
  IntakeAnswer,
  VisitType,
} from '@app/database';
import { DomainEvent, EventType, recordWork } from '@app/queues';
import { lockDoctorSchedule, ScheduleLock } from '../availability/doctor-schedule-lock';
import { initialStatus, visitTimes } from '../appointments/book-appointment.use-case';
import { recordStatusChange } from '../appointments/appointment-transitions';
import { overlapError } from '../appointments/booking.errors';
import { approvalDeadlineJob } from '../jobs/approval-deadline.job';
import { holdExpireJob } from '../jobs/hold-expire.job';
import { SlotService } from '../slots/slot.service';
import { validateAnswers } from '../visit-types/intake';
import { inBookingWindow, SeriesRepeat, seriesOccurrences } from './occurrences';
import { OccurrenceConflict, SeriesConflictError } from './series.errors';

export interface BookSeriesInput {
  doctorId: string;
  visitTypeId?: string;
  startsAt: Date;
  repeat: SeriesRepeat;
  reason?: string | null;
  answers?: unknown;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Deadlocks between concurrent series are possible in principle; one of them retries. */
const DEADLOCK_RETRIES = 3;

/**
 * Books every occurrence of a series or none: one transaction under the doctor's schedule
 * lock, each occurrence judged as a slot and inserted under the exclusion constraints in its
 * own savepoint, so every conflict is found and listed; any conflict rolls everything back.
 */
@Injectable()
export class BookSeries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly slots: SlotService,
    private readonly config: AppConfig,
    private readonly auditTrail: AuditTrail,
  ) {}

  async execute(
    patient: AuthUser,
    input: BookSeriesInput,
    audit: AuditContext,
  ): Promise<AppointmentSeries> {
    const doctor = await this.slots.getDoctorForBooking(input.doctorId);
    const type = await this.slots.visitTypeForBooking(doctor.userId, input.visitTypeId);
    const answers = validateAnswers(type.questions, input.answers);
    const starts = seriesOccurrences(input.startsAt, input.repeat, doctor.timezone);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.db.transaction((manager) =>
          this.book(manager, patient, doctor, type, starts, input, answers, audit),
        );
      } catch (error) {
        if (!isDeadlock(error) || attempt >= DEADLOCK_RETRIES) throw error;
      }
    }
  }

  private async book(
    manager: EntityManager,
    patient: AuthUser,
    doctor: DoctorProfile,
    type: VisitType,
    starts: Date[],
    input: BookSeriesInput,
    answers: IntakeAnswer[],
    audit: AuditContext,
  ): Promise<AppointmentSeries> {
    await lockDoctorSchedule(manager, doctor.userId, ScheduleLock.Book);
    // Two transactions inserting conflicting rows under an exclusion constraint both wait for
    // the other (PostgreSQL checks after inserting): with several rows each, concurrent series
    // of one doctor would deadlock. One series of a doctor at a time; single bookings still
    // run alongside (a rare deadlock with one of them is retried above).
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `appointment-series:${doctor.userId}`,
    ]);
    const series = manager.getRepository(AppointmentSeries).create({
      doctorId: doctor.userId,
      patientId: patient.id,
      visitTypeId: type.id,
      repeatEvery: input.repeat.every,
      repeatUnit: 'week',
      count: input.repeat.count,
      timezone: doctor.timezone,
    });
    await manager.getRepository(AppointmentSeries).insert(series);
    const now = new Date();
    const status = initialStatus(type);
    const window = this.config.booking;
    const conflicts: OccurrenceConflict[] = [];
    const booked: Appointment[] = [];
    const repo = manager.getRepository(Appointment);
    for (const start of starts) {
      const slot = inBookingWindow(start, now, window)
        ? await this.slots.findBookableSlot(doctor, type, start, { manager })
        : null;
      if (!slot) {
        conflicts.push({ startsAt: start.toISOString(), code: ErrorCode.NOT_A_SLOT });
        continue;
      }
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
            ? new Date(now.getTime() + window.holdMinutes * MINUTE_MS)
            : null,
        approvalDeadlineAt:
          status === AppointmentStatus.PendingApproval
            ? new Date(
                Math.min(now.getTime() + type.approvalDeadlineHours * HOUR_MS, start.getTime()),
              )
            : null,
        seriesId: series.id,
      });
      // A failed insert would abort the whole transaction; the savepoint keeps checking the rest.
      await manager.query('SAVEPOINT series_occurrence');
      try {
        await repo.insert(appointment);
        await manager.query('RELEASE SAVEPOINT series_occurrence');
        booked.push(appointment);
      } catch (error) {
        const overlap = overlapError(error);
        if (!overlap) throw error;
        await manager.query('ROLLBACK TO SAVEPOINT series_occurrence');
        conflicts.push({
          startsAt: start.toISOString(),
          code:
            overlap.code === ErrorCode.PATIENT_BUSY ? ErrorCode.PATIENT_BUSY : ErrorCode.SLOT_TAKEN,
        });
      }
    }
    // Thrown inside the transaction: the series row and every occurrence roll back with it.
    if (conflicts.length > 0) throw new SeriesConflictError(conflicts);
    await this.recordBooked(manager, patient, series, booked, audit);
    return series;
  }

  private async recordBooked(
    manager: EntityManager,
    patient: AuthUser,
    series: AppointmentSeries,
    booked: Appointment[],
    audit: AuditContext,
  ): Promise<void> {
    const events: DomainEvent[] = [
      { type: EventType.SeriesBooked, payload: { seriesId: series.id } },
    ];
    const jobs = [];
    for (const appointment of booked) {
      await recordStatusChange(
        manager,
        appointment.id,
        null,
        appointment.status,
        patient.id,
        'booked',
      );
      events.push({
        type: EventType.AppointmentBooked,
        payload: { appointmentId: appointment.id, seriesId: series.id },
      });
      if (appointment.status === AppointmentStatus.Confirmed)
        events.push({
          type: EventType.AppointmentConfirmed,
          payload: { appointmentId: appointment.id },
        });
      if (appointment.holdExpiresAt)
        jobs.push(holdExpireJob.with({ appointmentId: appointment.id }, appointment.holdExpiresAt));
      if (appointment.approvalDeadlineAt)
        jobs.push(
          approvalDeadlineJob.with(
            { appointmentId: appointment.id },
            appointment.approvalDeadlineAt,
          ),
        );
      await this.auditTrail.record(manager, {
        ...audit,
        action: AuditAction.AppointmentCreate,
        resourceType: AuditResource.Appointment,
        resourceId: appointment.id,
        outcome: AuditOutcome.Allowed,
      });
    }
    await recordWork(manager, { events, jobs });
    await this.auditTrail.record(manager, {
      ...audit,
      action: AuditAction.SeriesCreate,
      resourceType: AuditResource.Series,
      resourceId: series.id,
      outcome: AuditOutcome.Allowed,
    });
  }
}

function isDeadlock(error: unknown): boolean {
  const e = error as { driverError?: { code?: string }; code?: string };
  return (e?.driverError?.code ?? e?.code) === '40P01';
}
