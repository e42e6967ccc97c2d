import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Payment } from '@app/database';
import { CaptureResult, PaymentProviderError, PayPalClient } from '../paypal';
import { CaptureOutcome, isAwaitingCapture, isPayable } from './payment-rules';
import { failPayment, settleCapture } from './payment-settlement';
import { coveredPayable } from './series-payments';

/** The same id on every attempt, so PayPal never captures an order twice. */
export const captureRequestId = (paymentId: string) => `capture-${paymentId}`;

/**
 * Captures an approved order (worker). The PayPal call runs outside any transaction; its
 * answer is applied under the payment's row lock, like a webhook reporting the same capture.
 * Retryable PayPal failures are thrown so the job retries.
 */
@Injectable()
export class CapturePayment {
  private readonly logger = new Logger(CapturePayment.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly paypal: PayPalClient,
  ) {}

  async execute(paymentId: string): Promise<CaptureOutcome> {
    const payment = await this.db
      .getRepository(Payment)
      .findOne({ where: { id: paymentId }, relations: { appointment: true } });
    if (!payment || !payment.providerOrderId || !isAwaitingCapture(payment.status)) return 'none';
    if (!payment.seriesId && !payment.appointment) return 'none';
    const payable = payment.seriesId
      ? (await coveredPayable(this.db.manager, paymentId)).length > 0
      : isPayable(payment.appointment!);
    if (!payable) {
      // No money moved yet: better not to take it than to take it and give it back.
      await this.db.transaction((manager) =>
        failPayment(manager, paymentId, 'the appointment was no longer payable'),
      );
      return 'fail';
    }
    let result: CaptureResult;
    try {
      result = await this.paypal.captureOrder(payment.providerOrderId, captureRequestId(paymentId));
    } catch (error) {
      if (!(error instanceof PaymentProviderError) || error.retryable) throw error;
      if (error.issue === 'ORDER_NOT_APPROVED') {
        // The buyer has not approved yet: the approval webhook, a new request or reconciliation captures later.
        this.logger.log(`Payment ${paymentId}: order not approved yet, not captured`);
        return 'wait';
      }
      await this.db.transaction((manager) => failPayment(manager, paymentId, error.message));
      return 'fail';
    }
    return this.db.transaction((manager) =>
      settleCapture(manager, paymentId, {
        id: result.captureId,
        status: result.captureStatus,
        amount: result.amount,
      }),
    );
  }
}
