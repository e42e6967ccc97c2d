import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not } from 'typeorm';
import { Payment, PaymentStatus, Refund, RefundStatus } from '@app/database';
import { lockPayment } from './payment-locks';
import { openRefund } from './payment-settlement';

/**
 * Opens the full refund of a cancelled appointment's captured payment (worker, on
 * AppointmentCancelled with refund=true). At most one live refund per payment: a replayed
 * event finds it and opens nothing.
 */
@Injectable()
export class RequestRefund {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(appointmentId: string, reason: string): Promise<Refund | null> {
    return this.db.transaction(async (manager) => {
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
    });
  }
}
