import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppointmentQueries, toAppointmentView } from '@app/booking';
import { Payment, UserRole } from '@app/database';
import { toPaymentView } from '@app/payments';
import {
  DomainEventSubscriber,
  EventSubscriber,
  EventType,
  recordJobs,
  StoredEvent,
} from '@app/queues';
import { webhookDeliverJob } from './jobs/webhook-deliver.job';
import { WEBHOOK_TYPE_OF } from './webhook-events';
import { webhookBody, type WebhookBody } from './webhook-payload';

interface Subject {
  /** Whose appointment it is: a doctor's endpoints get their own appointments' events only. */
  doctorId: string;
  body: WebhookBody;
}

/**
 * Turns each domain event that has a webhook type into one delivery row and one delivery
 * job per subscribed endpoint, in one transaction; a re-run adds nothing (unique per
 * endpoint and event).
 */
@Injectable()
@EventSubscriber()
export class WebhookFanout implements DomainEventSubscriber {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly appointments: AppointmentQueries,
  ) {}

  async onEvent(event: StoredEvent): Promise<void> {
    const type = WEBHOOK_TYPE_OF[event.type];
    if (!type) return;
    // Most events concern nobody's endpoint: one cheap probe before loading the resource.
    const [any]: unknown[] = await this.db.query(
      `SELECT 1 FROM webhook_endpoints WHERE enabled AND $1 = ANY(events) LIMIT 1`,
      [type],
    );
    if (!any) return;
    const subject = await this.subject(event, type);
    if (!subject) return;
    await this.db.transaction(async (manager) => {
      const rows: { id: string; endpoint_id: string }[] = await manager.query(
        `INSERT INTO webhook_deliveries (endpoint_id, event_id, type, payload, next_attempt_at)
         SELECT e.id, $3, $1, $4, now()
           FROM webhook_endpoints e JOIN users u ON u.id = e.owner_id
          WHERE e.enabled AND $1 = ANY(e.events) AND u.deactivated_at IS NULL
            AND (u.role = $5 OR e.owner_id = $2)
         ON CONFLICT (endpoint_id, event_id) DO NOTHING
         RETURNING id, endpoint_id`,
        [type, subject.doctorId, event.id, JSON.stringify(subject.body), UserRole.Admin],
      );
      await recordJobs(
        manager,
        rows.map((row) =>
          webhookDeliverJob.with({
            deliveryId: row.id,
            endpointId: row.endpoint_id,
            eventId: event.id,
            round: 0,
          }),
        ),
      );
    });
  }

  private async subject(event: StoredEvent, type: string): Promise<Subject | null> {
    switch (event.type) {
      case EventType.PaymentCaptured:
      case EventType.RefundIssued: {
        const payment = await this.db.getRepository(Payment).findOne({
          where: { id: event.payload.paymentId },
          relations: { appointment: true, series: true },
        });
        // A series payment belongs to its series' doctor.
        const doctorId = payment?.appointment?.doctorId ?? payment?.series?.doctorId;
        if (!payment || !doctorId) return null;
        return {
          doctorId,
          body: webhookBody(type, event.createdAt, toPaymentView(payment)),
        };
      }
      case EventType.AppointmentBooked:
      case EventType.AppointmentConfirmed:
      case EventType.AppointmentCancelled:
      case EventType.AppointmentRescheduled:
      case EventType.HoldExpired:
      case EventType.AppointmentCompleted:
      case EventType.AppointmentNoShow: {
        const appointment = await this.appointments
          .reload(event.payload.appointmentId)
          .catch(() => null);
        if (!appointment) return null;
        return {
          doctorId: appointment.doctorId,
          body: webhookBody(type, event.createdAt, toAppointmentView(appointment)),
        };
      }
      default:
        return null;
    }
  }
}
