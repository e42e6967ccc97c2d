import { Injectable } from '@nestjs/common';
import {
  DomainEventSubscriber,
  EventPayloads,
  EventSubscriber,
  EventType,
  JobName,
  JobProducer,
  jobIds,
  StoredEvent,
} from '@app/queues';
import { RequestRefund } from './request-refund.use-case';

/**
 * The worker's side of payment events: what the api recorded in the outbox becomes jobs on
 * the payments queue (deterministic ids, so a replayed event adds nothing), and a cancellation
 * that owes a refund opens it.
 */
@Injectable()
@EventSubscriber()
export class PaymentsSubscriber implements DomainEventSubscriber {
  constructor(
    private readonly producer: JobProducer,
    private readonly requestRefund: RequestRefund,
  ) {}

  async onEvent(event: StoredEvent): Promise<void> {
    switch (event.type) {
      case EventType.PaymentCaptureRequested: {
        const { paymentId } =
          event.payload as unknown as EventPayloads[EventType.PaymentCaptureRequested];
        await this.producer.enqueue(
          { name: JobName.PaymentCapture, data: { paymentId } },
          { jobId: jobIds.paymentCapture(paymentId, event.id) },
        );
        return;
      }
      case EventType.PaymentWebhookReceived: {
        const { paymentEventId } =
          event.payload as unknown as EventPayloads[EventType.PaymentWebhookReceived];
        await this.producer.enqueue(
          { name: JobName.PaymentWebhook, data: { paymentEventId } },
          { jobId: jobIds.paymentWebhook(paymentEventId) },
        );
        return;
      }
      case EventType.RefundRequested: {
        const { refundId } = event.payload as unknown as EventPayloads[EventType.RefundRequested];
        await this.producer.enqueue(
          { name: JobName.PaymentRefund, data: { refundId } },
          { jobId: jobIds.paymentRefund(refundId) },
        );
        return;
      }
      case EventType.AppointmentCancelled: {
        const { appointmentId, refund } =
          event.payload as unknown as EventPayloads[EventType.AppointmentCancelled];
        if (refund) await this.requestRefund.execute(appointmentId, 'appointment cancelled');
        return;
      }
      default:
        return;
    }
  }
}
