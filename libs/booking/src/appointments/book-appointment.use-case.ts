import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { AppConfig } from '@app/config';
import { AuditAction, AuditContext, AuditResource, AuditTrail } from '@app/core';
import { Appointment, AppointmentStatus, AuditOutcome } from '@app/database';
import { DomainEvent, EventType, recordWork } from '@app/queues';
import { holdExpireJob } from '../jobs/hold-expire.job';
import { lockDoctorSchedule, ScheduleLock } from '../availability/doctor-schedule-lock';
import { SlotService } from '../slots/slot.service';
import { recordStatusChange } from './appointment-transitions';
import { NotASlotError, overlapError } from './booking.errors';

export interface BookAppointmentInput {
  doctorId: string;
  startsAt: Date;
  reason?: string | null;
}

/**
 * Books a slot. Whether the time is a slot is checked against the doctor's hours and time
 * off inside the transaction, under the doctor's schedule lock; whether it is free is
 * decided by the database's exclusion constraint, whatever the concurrency.
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
    const free = doctor.feeMinor === 0;
    const status = free ? AppointmentStatus.Confirmed : AppointmentStatus.PendingPayment;
    try {
      return await this.db.transaction(async (manager) => {
        // Judged under the schedule lock, so time off created meanwhile either refuses this
        // booking or lists it among its affected appointments.
        await lockDoctorSchedule(manager, doctor.userId, ScheduleLock.Book);
        const slot = await this.slots.findBookableSlot(doctor, input.startsAt, { manager });
        if (!slot) throw new NotASlotError();
        const repo = manager.getRepository(Appointment);
        // insert() fills in the generated columns too, without save()'s change tracking.
        const appointment = repo.create({
          doctorId: doctor.userId,
          patientId: patient.id,
          startsAt: slot.start,
          endsAt: slot.end,
          status,
          reason: input.reason ?? null,
          feeMinor: doctor.feeMinor,
          currency: doctor.currency,
          holdExpiresAt: free
            ? null
            : new Date(Date.now() + this.config.booking.holdMinutes * 60_000),
        });
        await repo.insert(appointment);
        await recordStatusChange(manager, appointment.id, null, status, patient.id, 'booked');
        const events: DomainEvent[] = [
          { type: EventType.AppointmentBooked, payload: { appointmentId: appointment.id } },
        ];
        if (free)
          events.push({
            type: EventType.AppointmentConfirmed,
            payload: { appointmentId: appointment.id },
          });
        const jobs = appointment.holdExpiresAt
          ? [holdExpireJob.with({ appointmentId: appointment.id }, appointment.holdExpiresAt)]
          : [];
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
