import { Injectable } from '@nestjs/common';
import { defineJob, JobHandler, QueueName } from '@app/queues';
import { CapturePayment } from '../payments/capture-payment.use-case';
import type { CaptureOutcome } from '../payments/payment-rules';

export interface CapturePaymentData {
  paymentId: string;
  /** One job per request: a finished job must not swallow a later request. */
  requestId: string;
}

export const capturePaymentJob = defineJob<CapturePaymentData>({
  name: 'payment.capture',
  queue: QueueName.Payments,
  id: ({ paymentId, requestId }) => `capture-${paymentId}-${requestId}`,
});

@Injectable()
export class CapturePaymentHandler extends JobHandler<CapturePaymentData> {
  readonly job = capturePaymentJob;

  constructor(private readonly capturePayment: CapturePayment) {
    super();
  }

  run({ paymentId }: CapturePaymentData): Promise<CaptureOutcome> {
    return this.capturePayment.execute(paymentId);
  }
}
