import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { Appointment, AppointmentStatus } from '@app/database';
import {
  DomainEventSubscriber,
  EventSubscriber,
  EventType,
  JobProducer,
  QueueName,
  recordJobs,
  StoredEvent,
  WorkItems,
} from '@app/queues';
import { reminderJob } from './jobs/reminder.job';

/**
 * Keeps an appointment's reminders in step with its state: recorded when it is confirmed,
 * withdrawn when it is cancelled, moved or over. Reminders also re-check state when they
 * run, so one left behind by a crash sends nothing.
 */
@Injectable()
@EventSubscriber()
export class ReminderScheduler implements DomainEventSubscriber {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly producer: JobProducer,
    private readonly work: WorkItems,
    private readonly config: AppConfig,
  ) {}

  async onEvent(event: StoredEvent): Promise<void> {
    switch (event.type) {
      case EventType.AppointmentConfirmed:
        return this.schedule(event.payload.appointmentId);
      case EventType.AppointmentRescheduled:
        await this.withdraw(event.payload.previousAppointmentId);
        return this.schedule(event.payload.appointmentId);
      case EventType.AppointmentCancelled:
      case EventType.HoldExpired:
      case EventType.AppointmentCompleted:
      case EventType.AppointmentNoShow:
        return this.withdraw(event.payload.appointmentId);
      default:
        return;
    }
  }

  private async schedule(appointmentId: string): Promise<void> {
    const appointment = await this.db
      .getRepository(Appointment)
      .findOne({ where: { id: appointmentId } });
    if (appointment?.status !== AppointmentStatus.Confirmed) return;
    const now = Date.now();
    const jobs = this.config.booking.reminderOffsetsMinutes
      .map((offsetMinutes) => ({
        offsetMinutes,
        at: appointment.startsAt.getTime() - offsetMinutes * 60_000,
      }))
      .filter(({ at }) => at > now)
      .map(({ offsetMinutes, at }) =>
        reminderJob.with(
          { appointmentId, offsetMinutes, startsAt: appointment.startsAt.toISOString() },
          new Date(at),
        ),
      );
    await this.db.transaction((manager) => recordJobs(manager, jobs));
  }

  private async withdraw(appointmentId: string): Promise<void> {
    const ids = this.config.booking.reminderOffsetsMinutes.map((offsetMinutes) =>
      reminderJob.id({ appointmentId, offsetMinutes, startsAt: '' }),
    );
    await this.db.transaction((manager) => this.work.cancel(manager, ids));
    for (const id of ids) await this.producer.remove(QueueName.Booking, id);
  }
}
