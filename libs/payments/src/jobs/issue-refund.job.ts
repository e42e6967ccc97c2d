import { Injectable } from '@nestjs/common';
import { RefundStatus } from '@app/database';
import { defineJob, JobHandler, QueueName } from '@app/queues';
import { IssueRefund } from '../payments/issue-refund.use-case';

export interface IssueRefundData {
  refundId: string;
}

/** Recorded with the pending refund row it sends to PayPal. */
export const issueRefundJob = defineJob<IssueRefundData>({
  name: 'payment.refund',
  queue: QueueName.Payments,
  id: ({ refundId }) => `refund-${refundId}`,
});

@Injectable()
export class IssueRefundHandler extends JobHandler<IssueRefundData> {
  readonly job = issueRefundJob;

  constructor(private readonly issueRefund: IssueRefund) {
    super();
  }

  run({ refundId }: IssueRefundData): Promise<RefundStatus | 'none'> {
    return this.issueRefund.execute(refundId);
  }

  override async giveUp({ refundId }: IssueRefundData, reason: string): Promise<void> {
    await this.issueRefund.markFailed(refundId, reason);
  }
}
