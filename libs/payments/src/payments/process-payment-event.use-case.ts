import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Payment, PaymentEvent, PaymentStatus } from '@app/database';
import { EventType, recordEvents } from '@app/queues';
import { isRecord } from '../paypal/paypal-wire';
import { PayPalMoney, toMinorMoney } from '../paypal';
import { lockPayment } from './payment-locks';
import { isAwaitingCapture } from './payment-rules';
import { completeRefund, settleCapture } from './payment-settlement';
import { PaymentRef, WebhookAction, webhookAction } from './webhook-event';

/**
 * Acts on one stored webhook (worker). The inbox row is locked and marked processed in the
 * same transaction as the change, so an event counts once even if its job runs twice.
 */
@Injectable()
export class ProcessPaymentEvent {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(paymentEventId: string): Promise<string> {
    return this.db.transaction(async (manager) => {
      const events = manager.getRepository(PaymentEvent);
      const event = await events.findOne({
        where: { id: paymentEventId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!event || event.processedAt) return 'already processed';
      const resource = isRecord(event.payload.resource) ? event.payload.resource : {};
      const note = await this.apply(manager, webhookAction(event.eventType, resource));
      await events.update({ id: event.id }, { processedAt: new Date(), error: note });
      return note ?? 'processed';
    });
  }

  /** Applies the action; answers why nothing changed, or null. */
  private async apply(manager: EntityManager, action: WebhookAction): Promise<string | null> {
    if (action.kind === 'ignored') return action.reason;
    const payment = await findPayment(manager, action.ref);
    if (!payment) return 'no payment matches the event';
    switch (action.kind) {
      case 'approved':
        return approve(manager, payment.id);
      case 'captured':
        await settleCapture(manager, payment.id, {
          id: action.captureId,
          status: action.captureStatus,
        });
        return null;
      case 'denied':
        await settleCapture(manager, payment.id, { id: action.captureId, status: 'DECLINED' });
        return null;
      case 'refunded':
        if (action.amount && isPartial(action.amount, payment)) {
          return 'partial refunds made at PayPal are not tracked';
        }
        await completeRefund(manager, payment.id, { providerRefundId: action.providerRefundId });
        return null;
    }
  }
}

/** The buyer approved: with "Pay Now" they expect to be charged, so the capture is requested at once. */
async function approve(manager: EntityManager, paymentId: string): Promise<string | null> {
  const { payment } = await lockPayment(manager, paymentId);
  if (!isAwaitingCapture(payment.status)) return `the payment is already ${payment.status}`;
  if (payment.status === PaymentStatus.Created) {
    await manager
      .getRepository(Payment)
      .update({ id: payment.id }, { status: PaymentStatus.Approved });
  }
  await recordEvents(manager, [
    {
      type: EventType.PaymentCaptureRequested,
      payload: { paymentId: payment.id, appointmentId: payment.appointmentId },
    },
  ]);
  return null;
}

function isPartial(amount: PayPalMoney, payment: Payment): boolean {
  try {
    return toMinorMoney(amount).minor < payment.amountMinor;
  } catch {
    return false;
  }
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
