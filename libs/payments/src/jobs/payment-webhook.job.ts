import { Injectable } from '@nestjs/common';
import { defineJob, JobHandler, QueueName } from '@app/queues';
import { ProcessPaymentEvent } from '../payments/process-payment-event.use-case';

export interface PaymentWebhookData {
  paymentEventId: string;
}

/** Recorded with the verified webhook in the payment_events inbox. */
export const paymentWebhookJob = defineJob<PaymentWebhookData>({
  name: 'payment.webhook',
  queue: QueueName.Payments,
  id: ({ paymentEventId }) => `webhook-${paymentEventId}`,
});

@Injectable()
export class PaymentWebhookHandler extends JobHandler<PaymentWebhookData> {
  readonly job = paymentWebhookJob;

  constructor(private readonly processEvent: ProcessPaymentEvent) {
    super();
  }

  run({ paymentEventId }: PaymentWebhookData): Promise<string> {
    return this.processEvent.execute(paymentEventId);
  }

  override async giveUp({ paymentEventId }: PaymentWebhookData, reason: string): Promise<void> {
    await this.processEvent.markFailed(paymentEventId, reason);
  }
}
