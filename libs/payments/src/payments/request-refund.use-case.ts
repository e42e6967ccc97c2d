import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not, type EntityManager } from 'typeorm';
import { Payment, PaymentStatus, Refund, RefundStatus } from '@app/database';
import { lockPayment } from './payment-locks';
import { openRefund } from './payment-settlement';

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
  if (!paid) return null;
  const { payment } = await lockPayment(manager, paid.id);
  if (payment.status !== PaymentStatus.Captured) return null;
  const live = await manager
    .getRepository(Refund)
    .exists({ where: { paymentId: payment.id, status: Not(RefundStatus.Failed) } });
  if (live) return null;
  return openRefund(manager, payment, reason);
}
