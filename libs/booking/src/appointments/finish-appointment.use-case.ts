import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { AuditAction, AuditContext, AuditResource, AuditTrail } from '@app/core';
import { Appointment, AppointmentStatus, AuditOutcome } from '@app/database';
import { EventType, recordEvents } from '@app/queues';
import { applyTransition, lockAppointment } from './appointment-transitions';
import { TooEarlyError } from './booking.errors';

export type Outcome = AppointmentStatus.Completed | AppointmentStatus.NoShow;

/** The doctor records how a started appointment went: completed or no-show. */
@Injectable()
export class FinishAppointment {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly auditTrail: AuditTrail,
  ) {}

  async execute(
    doctor: AuthUser,
    appointmentId: string,
    outcome: Outcome,
    audit: AuditContext,
  ): Promise<Appointment> {
    return this.db.transaction(async (manager) => {
      const appointment = await lockAppointment(manager, {
        id: appointmentId,
        doctorId: doctor.id,
      });
      if (
        appointment.status === AppointmentStatus.Confirmed &&
        appointment.startsAt.getTime() > Date.now()
      ) {
        throw new TooEarlyError();
      }
      await applyTransition(
        manager,
        appointment,
        outcome,
        doctor.id,
        outcome === AppointmentStatus.Completed ? 'completed' : 'no-show',
      );
      const completed = outcome === AppointmentStatus.Completed;
      const type = completed ? EventType.AppointmentCompleted : EventType.AppointmentNoShow;
      await recordEvents(manager, [{ type, payload: { appointmentId } }]);
      await this.auditTrail.record(manager, {
        ...audit,
        action: completed ? AuditAction.AppointmentComplete : AuditAction.AppointmentNoShow,
        resourceType: AuditResource.Appointment,
        resourceId: appointmentId,
        outcome: AuditOutcome.Allowed,
      });
      return appointment;
    });
  }
}
