import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { Payment, PaymentEvent, PaymentStatus } from '@app/database';
import { isRecord } from '../paypal/paypal-wire';
import { CapturePayment } from './capture-payment.use-case';
import { lockPayment } from './payment-locks';
import { lockSeriesPayment } from './series-payment-settlement';
import { isAwaitingCapture } from './payment-rules';
import { settleCapture, settleReportedRefund } from './payment-settlement';
import { PaymentRef, WebhookAction, webhookAction } from './webhook-event';

/**
 * Acts on one stored webhook (worker). The inbox row is locked and marked processed in the
 * same transaction as the change, so an event counts once even if its job runs twice.
 */
@Injectable()
export class ProcessPaymentEvent {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly capture: CapturePayment,
  ) {}

  async execute(paymentEventId: string): Promise<string> {
    const seen = await this.db.getRepository(PaymentEvent).findOne({
      where: { id: paymentEventId },
    });
    if (!seen || seen.processedAt) return 'already processed';
    const action = webhookAction(seen.eventType, resourceOf(seen));
    // The PayPal call happens before the inbox row is locked and outside any transaction.
    const captured = action.kind === 'approved' ? await this.approve(action.ref) : null;
    return this.db.transaction(async (manager) => {
      const events = manager.getRepository(PaymentEvent);
      const event = await events.findOne({
        where: { id: paymentEventId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!event || event.processedAt) return 'already processed';
      const note = action.kind === 'approved' ? captured : await this.apply(manager, action);
      await events.update({ id: event.id }, { processedAt: new Date(), error: note });
      return note ?? 'processed';
    });
  }

  /** The sweeper gave the event up: it stays in the inbox, marked, for a person to look at. */
  async markFailed(paymentEventId: string, reason: string): Promise<void> {
    await this.db
      .getRepository(PaymentEvent)
      .update({ id: paymentEventId, processedAt: IsNull() }, { error: reason });
  }

  /**
   * The buyer approved: with "Pay Now" they expect to be charged, so this job captures at
   * once (the same PayPal-Request-Id as any other capture of the payment: never twice).
   */
  private async approve(ref: PaymentRef): Promise<string | null> {
    const found = await findPayment(this.db.manager, ref);
    if (!found) return 'no payment matches the event';
    const status = await this.db.transaction(async (manager) => {
      const { payment } = found.seriesId
        ? await lockSeriesPayment(manager, found.id)
        : await lockPayment(manager, found.id);
      if (payment.status === PaymentStatus.Created) {
        await manager
          .getRepository(Payment)
          .update({ id: payment.id }, { status: PaymentStatus.Approved });
      }
      return payment.status;
    });
    if (!isAwaitingCapture(status)) return `the payment is already ${status}`;
    await this.capture.execute(found.id);
    return null;
  }

  /** Applies the action; answers why nothing changed, or null. */
  private async apply(
    manager: EntityManager,
    action: Exclude<WebhookAction, { kind: 'approved' }>,
  ): Promise<string | null> {
    if (action.kind === 'ignored') return action.reason;
    const payment = await findPayment(manager, action.ref);
    if (!payment) return 'no payment matches the event';
    switch (action.kind) {
      case 'captured': {
        const outcome = await settleCapture(manager, payment.id, {
          id: action.captureId,
          status: action.captureStatus,
          amount: action.amount,
        });
        return outcome === 'wait' ? 'the capture is pending or has no readable amount' : null;
      }
      case 'denied':
        await settleCapture(manager, payment.id, { id: action.captureId, status: 'DECLINED' });
        return null;
      case 'refunded':
        return settleReportedRefund(manager, payment.id, {
          providerRefundId: action.providerRefundId,
          amount: action.amount,
        });
    }
  }
}

function resourceOf(event: PaymentEvent): Record<string, unknown> {
  return isRecord(event.payload.resource) ? event.payload.resource : {};
}

/** By our payment id (custom_id) when it agrees with the order, else by PayPal's ids. */
async function findPayment(manager: EntityManager, ref: PaymentRef): Promise<Payment | null> {
  const payments = manager.getRepository(Payment);
  if (ref.paymentId) {
    const byId = await payments.findOne({ where: { id: ref.paymentId } });
    if (byId && (!ref.orderId || !byId.providerOrderId || byId.providerOrderId === ref.orderId))
      return byId;
  }
  if (ref.orderId) {
    const byOrder = await payments.findOne({ where: { providerOrderId: ref.orderId } });
    if (byOrder) return byOrder;
  }
  return ref.captureId ? payments.findOne({ where: { providerCaptureId: ref.captureId } }) : null;
}
