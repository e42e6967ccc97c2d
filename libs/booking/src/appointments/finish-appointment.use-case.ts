import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Appointment, AppointmentStatus } from '@app/database';
import { EventType, recordEvents } from '@app/queues';
import { applyTransition, lockAppointment } from './appointment-transitions';
import { TooEarlyError } from './booking.errors';

export type Outcome = AppointmentStatus.Completed | AppointmentStatus.NoShow;

/** The doctor records how a started appointment went: completed or no-show. */
@Injectable()
export class FinishAppointment {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(doctor: AuthUser, appointmentId: string, outcome: Outcome): Promise<Appointment> {
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
      const type =
        outcome === AppointmentStatus.Completed
          ? EventType.AppointmentCompleted
          : EventType.AppointmentNoShow;
      await recordEvents(manager, [{ type, payload: { appointmentId } }]);
      return appointment;
    });
  }
}
