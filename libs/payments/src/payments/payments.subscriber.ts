import { Injectable } from '@nestjs/common';
import { DomainEventSubscriber, EventSubscriber, EventType, StoredEvent } from '@app/queues';
import { RequestRefund } from './request-refund.use-case';

/** A cancellation that owes the patient their money opens the refund (worker). */
@Injectable()
@EventSubscriber()
export class PaymentsSubscriber implements DomainEventSubscriber {
  constructor(private readonly requestRefund: RequestRefund) {}

  async onEvent(event: StoredEvent): Promise<void> {
    if (event.type !== EventType.AppointmentCancelled || !event.payload.refund) return;
    await this.requestRefund.execute(event.payload.appointmentId, 'appointment cancelled');
  }
}
