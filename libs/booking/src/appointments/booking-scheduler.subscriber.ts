import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { Appointment, AppointmentStatus } from '@app/database';
import {
  DomainEventSubscriber,
  EventSubscriber,
  EventType,
  JobName,
  JobProducer,
  jobIds,
  QueueName,
  StoredEvent,
} from '@app/queues';

/**
 * Keeps the delayed jobs of an appointment in step with its state: the hold expiry of an
 * unpaid booking and the reminders of a confirmed one. Jobs also re-check state when they
 * run, so a job left behind by a crash does nothing.
 */
@Injectable()
@EventSubscriber()
export class BookingSchedulerSubscriber implements DomainEventSubscriber {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly producer: JobProducer,
    private readonly config: AppConfig,
  ) {}

  async onEvent(event: StoredEvent): Promise<void> {
    const appointmentId = event.payload.appointmentId as string | undefined;
    switch (event.type) {
      case EventType.AppointmentBooked:
      case EventType.AppointmentConfirmed:
        return this.schedule(appointmentId!);
      case EventType.AppointmentRescheduled:
        await this.unschedule(event.payload.previousAppointmentId as string);
        return this.schedule(appointmentId!);
      case EventType.AppointmentCancelled:
      case EventType.HoldExpired:
      case EventType.AppointmentCompleted:
      case EventType.AppointmentNoShow:
        return this.unschedule(appointmentId!);
      default:
        return;
    }
  }

  private async schedule(appointmentId: string): Promise<void> {
    const appointment = await this.db
      .getRepository(Appointment)
      .findOne({ where: { id: appointmentId } });
    if (!appointment) return;
    const now = Date.now();
    if (appointment.status === AppointmentStatus.PendingPayment && appointment.holdExpiresAt) {
      await this.producer.enqueue(
        { name: JobName.HoldExpire, data: { appointmentId } },
        {
          jobId: jobIds.holdExpire(appointmentId),
          delayMs: Math.max(0, appointment.holdExpiresAt.getTime() - now),
        },
      );
    }
    if (appointment.status === AppointmentStatus.Confirmed) {
      for (const offsetMinutes of this.config.booking.reminderOffsetsMinutes) {
        const at = appointment.startsAt.getTime() - offsetMinutes * 60_000;
        if (at <= now) continue;
        await this.producer.enqueue(
          {
            name: JobName.Reminder,
            data: { appointmentId, offsetMinutes, startsAt: appointment.startsAt.toISOString() },
          },
          { jobId: jobIds.reminder(appointmentId, offsetMinutes), delayMs: at - now },
        );
      }
    }
  }

  private async unschedule(appointmentId: string): Promise<void> {
    await this.producer.remove(QueueName.Booking, jobIds.holdExpire(appointmentId));
    for (const offsetMinutes of this.config.booking.reminderOffsetsMinutes) {
      await this.producer.remove(QueueName.Booking, jobIds.reminder(appointmentId, offsetMinutes));
    }
  }
}
