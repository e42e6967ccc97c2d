import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, Not, type EntityManager } from 'typeorm';
import { Payment, PaymentItem, PaymentStatus, Refund, RefundStatus } from '@app/database';
import { lockPayment } from './payment-locks';
import { openRefund } from './payment-settlement';
import { openShareRefund } from './series-payment-settlement';

/**
 * Opens the full refund of an appointment's captured payment, with its refund job. At most
 * one live refund per payment: asking again opens nothing.
 */
@Injectable()
export class RequestRefund {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(appointmentId: string, reason: string): Promise<Refund | null> {
    return this.db.transaction((manager) => openRefundFor(manager, appointmentId, reason));
  }
}

/** In the caller's transaction (a cancellation's): the refund exists exactly when it commits. */
export async function openRefundFor(
  manager: EntityManager,
  appointmentId: string,
  reason: string,
): Promise<Refund | null> {
  const paid = await manager
    .getRepository(Payment)
    .findOne({ where: { appointmentId, status: PaymentStatus.Captured } });
  if (!paid) return (await openShareRefundFor(manager, [appointmentId], reason))[0] ?? null;
  const { payment } = await lockPayment(manager, paid.id);
  if (payment.status !== PaymentStatus.Captured) return null;
  const live = await manager
    .getRepository(Refund)
    .exists({ where: { paymentId: payment.id, status: Not(RefundStatus.Failed) } });
  if (live) return null;
  return openRefund(manager, payment, reason);
}

/**
 * One partial refund, per series payment, of the captured shares of these occurrences that
 * were not refunded yet; in the caller's transaction. Only the payment row is locked here:
 * the caller holds the appointments it cancels.
 */
export async function openShareRefundFor(
  manager: EntityManager,
  appointmentIds: string[],
  reason: string,
): Promise<Refund[]> {
  const items = await manager.getRepository(PaymentItem).find({
    where: {
      appointmentId: In(appointmentIds),
      refundId: IsNull(),
      payment: { status: PaymentStatus.Captured },
    },
  });
  const opened: Refund[] = [];
  for (const paymentId of new Set(items.map((item) => item.paymentId))) {
    const payment = await manager
      .getRepository(Payment)
      .findOne({ where: { id: paymentId }, lock: { mode: 'pessimistic_write' } });
    if (payment?.status !== PaymentStatus.Captured) continue;
    const refund = await openShareRefund(manager, payment, appointmentIds, reason);
    if (refund) opened.push(refund);
  }
  return opened;
}
