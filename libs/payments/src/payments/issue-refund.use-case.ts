import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Refund, RefundStatus } from '@app/database';
import {
  PaymentProviderError,
  PayPalClient,
  PayPalRefundStatus,
  RefundResult,
  toPayPalMoney,
} from '../paypal';
import { completeRefund } from './payment-settlement';

/**
 * Sends a pending refund to PayPal (worker job). PayPal-Request-Id is the refund id, so a
 * retried job never refunds twice; retryable failures are thrown for the job's backoff.
 */
@Injectable()
export class IssueRefund {
  private readonly logger = new Logger(IssueRefund.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly paypal: PayPalClient,
  ) {}

  async execute(refundId: string): Promise<RefundStatus | 'none'> {
    const refunds = this.db.getRepository(Refund);
    const refund = await refunds.findOne({ where: { id: refundId }, relations: { payment: true } });
    if (!refund || refund.status !== RefundStatus.Pending) return 'none';
    const captureId = refund.payment?.providerCaptureId;
    if (!captureId) return this.giveUp(refund, 'the payment has no capture');
    await refunds.increment({ id: refund.id }, 'attempts', 1);
    let result: RefundResult | null;
    try {
      const amount = toPayPalMoney({ minor: refund.amountMinor, currency: refund.currency });
      result = await this.paypal.refundCapture(captureId, refund.id, amount);
    } catch (error) {
      if (!(error instanceof PaymentProviderError) || error.retryable) throw error;
      // Already refunded in full (e.g. at PayPal): nothing is left to return, which is the goal.
      if (error.issue !== 'CAPTURE_FULLY_REFUNDED') return this.giveUp(refund, error.message);
      result = null;
    }
    if (result?.status === PayPalRefundStatus.PENDING) {
      // PayPal finishes it later and says so with PAYMENT.CAPTURE.REFUNDED.
      await refunds.update({ id: refund.id }, { providerRefundId: result.refundId });
      return RefundStatus.Pending;
    }
    if (result && result.status !== PayPalRefundStatus.COMPLETED)
      return this.giveUp(refund, `PayPal refund ${result.status}`);
    await this.db.transaction((manager) =>
      completeRefund(manager, refund.paymentId, {
        refundId: refund.id,
        providerRefundId: result?.refundId ?? null,
      }),
    );
    return RefundStatus.Completed;
  }

  /** The sweeper gave the refund up: it is failed, and loud, for a person to settle. */
  async markFailed(refundId: string, reason: string): Promise<void> {
    const refund = await this.db.getRepository(Refund).findOne({ where: { id: refundId } });
    if (refund?.status === RefundStatus.Pending) await this.giveUp(refund, reason);
  }

  private async giveUp(refund: Refund, reason: string): Promise<RefundStatus> {
    // Loud on purpose: money we owe is still with us and needs a person.
    this.logger.error(`Refund ${refund.id} of payment ${refund.paymentId} failed: ${reason}`);
    await this.db
      .getRepository(Refund)
      .update({ id: refund.id, status: RefundStatus.Pending }, { status: RefundStatus.Failed });
    return RefundStatus.Failed;
  }
}
