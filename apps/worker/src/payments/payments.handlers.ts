import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import {
  CapturePayment,
  CaptureOutcome,
  IssueRefund,
  ProcessPaymentEvent,
  ReconcilePayments,
} from '@app/payments';
import { RefundStatus } from '@app/database';
import { JobHandler, JobName, JobPayloads, JobProducer, QueueName } from '@app/queues';

const RECONCILE_EVERY_MS = 5 * 60_000;

@Injectable()
export class PaymentsHandlers implements OnApplicationBootstrap {
  private readonly logger = new Logger(PaymentsHandlers.name);

  constructor(
    private readonly capturePayment: CapturePayment,
    private readonly issueRefund: IssueRefund,
    private readonly processEvent: ProcessPaymentEvent,
    private readonly reconcilePayments: ReconcilePayments,
    private readonly producer: JobProducer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // One scheduler in Redis however many workers run.
    await this.producer
      .queue(QueueName.Payments)
      .upsertJobScheduler(
        'payment-reconcile',
        { every: RECONCILE_EVERY_MS },
        { name: JobName.PaymentReconcile, data: {} },
      )
      .catch((error: Error) =>
        this.logger.warn(`Payment reconciliation schedule not set: ${error.message}`),
      );
  }

  @JobHandler(JobName.PaymentCapture)
  async capture({ paymentId }: JobPayloads[JobName.PaymentCapture]): Promise<CaptureOutcome> {
    return this.capturePayment.execute(paymentId);
  }

  @JobHandler(JobName.PaymentRefund)
  async refund({ refundId }: JobPayloads[JobName.PaymentRefund]): Promise<RefundStatus | 'none'> {
    return this.issueRefund.execute(refundId);
  }

  @JobHandler(JobName.PaymentWebhook)
  async webhook({ paymentEventId }: JobPayloads[JobName.PaymentWebhook]): Promise<string> {
    return this.processEvent.execute(paymentEventId);
  }

  @JobHandler(JobName.PaymentReconcile)
  async reconcile(): Promise<number> {
    return this.reconcilePayments.execute();
  }
}
