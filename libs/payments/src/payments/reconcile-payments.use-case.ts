import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Payment, PaymentStatus, RefundStatus } from '@app/database';
import { PaymentProviderError, PayPalClient, PayPalOrder } from '../paypal';
import { CapturePayment } from './capture-payment.use-case';
import { IssueRefund } from './issue-refund.use-case';
import { isAwaitingCapture, isPayable, ReconcileStep, reconcileStep } from './payment-rules';
import { failPayment, settleCapture } from './payment-settlement';
import { coveredPayable } from './series-payments';

export const RECONCILE_OPTIONS = Symbol('RECONCILE_OPTIONS');

export interface ReconcileOptions {
  /** A payment or refund untouched this long is re-read from PayPal. */
  stuckAfterMs: number;
  batch: number;
}

const DEFAULTS: ReconcileOptions = { stuckAfterMs: 10 * 60_000, batch: 100 };

/**
 * Settles what webhooks and jobs left behind (worker, periodic): payments stuck in
 * created/approved are re-read from PayPal, pending refunds are sent again.
 */
@Injectable()
export class ReconcilePayments {
  private readonly logger = new Logger(ReconcilePayments.name);
  private readonly options: ReconcileOptions;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly paypal: PayPalClient,
    private readonly capture: CapturePayment,
    private readonly issueRefund: IssueRefund,
    @Optional() @Inject(RECONCILE_OPTIONS) options: Partial<ReconcileOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Answers how many payments and refunds it settled; one failure does not stop the rest. */
  async execute(): Promise<number> {
    const params = [this.options.stuckAfterMs / 1000, this.options.batch];
    const payments: { id: string }[] = await this.db.query(
      `SELECT id FROM payments WHERE status = ANY($3)
        AND updated_at < now() - make_interval(secs => $1) ORDER BY updated_at LIMIT $2`,
      [...params, [PaymentStatus.Created, PaymentStatus.Approved]],
    );
    const refunds: { id: string }[] = await this.db.query(
      `SELECT id FROM refunds WHERE status = $3
        AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT $2`,
      [...params, RefundStatus.Pending],
    );
    let settled = 0;
    for (const { id } of payments)
      settled += Number(await this.attempt(`payment ${id}`, () => this.payment(id)));
    for (const { id } of refunds) {
      settled += Number(
        await this.attempt(
          `refund ${id}`,
          async () => (await this.issueRefund.execute(id)) === RefundStatus.Completed,
        ),
      );
    }
    if (settled > 0) this.logger.log(`Reconciliation settled ${settled} payments and refunds`);
    return settled;
  }

  private async payment(paymentId: string): Promise<boolean> {
    const payment = await this.db
      .getRepository(Payment)
      .findOne({ where: { id: paymentId }, relations: { appointment: true } });
    if (!payment || !isAwaitingCapture(payment.status)) return false;
    if (!payment.seriesId && !payment.appointment) return false;
    const payable = payment.seriesId
      ? (await coveredPayable(this.db.manager, paymentId)).length > 0
      : isPayable(payment.appointment!);
    const step: ReconcileStep = payment.providerOrderId
      ? await this.stepFor(payment.providerOrderId, payable)
      : { kind: 'fail', reason: 'no PayPal order was created' };
    switch (step.kind) {
      case 'settle':
        await this.db.transaction((m) =>
          settleCapture(m, paymentId, {
            id: step.captureId,
            status: step.captureStatus,
            amount: step.amount,
          }),
        );
        return true;
      case 'capture':
        return (await this.capture.execute(paymentId)) !== 'wait';
      case 'fail':
        return this.db.transaction((m) => failPayment(m, paymentId, step.reason));
      case 'wait':
        return false;
    }
  }

  private async stepFor(orderId: string, payable: boolean): Promise<ReconcileStep> {
    let order: PayPalOrder;
    try {
      order = await this.paypal.getOrder(orderId);
    } catch (error) {
      const unknown = error instanceof PaymentProviderError && error.httpStatus === 404;
      if (!unknown) throw error;
      return payable
        ? { kind: 'wait' }
        : { kind: 'fail', reason: 'PayPal no longer knows the order' };
    }
    return reconcileStep(order, payable);
  }

  private async attempt(what: string, run: () => Promise<boolean>): Promise<boolean> {
    try {
      return await run();
    } catch (error) {
      this.logger.warn(
        `Reconciliation of ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    }
  }
}
