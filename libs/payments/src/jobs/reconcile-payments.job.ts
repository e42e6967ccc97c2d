import { Injectable } from '@nestjs/common';
import { defineJob, JobHandler, QueueName } from '@app/queues';
import { ReconcilePayments } from '../payments/reconcile-payments.use-case';

/** Every five minutes across all workers. */
export const reconcilePaymentsJob = defineJob<Record<string, never>>({
  name: 'payment.reconcile',
  queue: QueueName.Payments,
  id: () => 'payment-reconcile',
  schedule: { id: 'payment-reconcile', everyMs: () => 5 * 60_000 },
});

@Injectable()
export class ReconcilePaymentsHandler extends JobHandler<Record<string, never>> {
  readonly job = reconcilePaymentsJob;

  constructor(private readonly reconcilePayments: ReconcilePayments) {
    super();
  }

  run(): Promise<number> {
    return this.reconcilePayments.execute();
  }
}
