import { Global, Injectable, Module } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppointmentPayments } from '@app/booking';
import { Payment, PaymentItem, PaymentStatus } from '@app/database';
import { openRefundFor, openShareRefundFor } from './request-refund.use-case';
import { isShareCaptured } from './series-payment-settlement';

/** Payments' answers to booking, in booking's transaction. */
@Injectable()
export class BookingPayments extends AppointmentPayments {
  async isPaid(manager: EntityManager, appointmentId: string): Promise<boolean> {
    const single = await manager
      .getRepository(Payment)
      .exists({ where: { appointmentId, status: PaymentStatus.Captured } });
    return single || isShareCaptured(manager, appointmentId);
  }

  async refund(manager: EntityManager, appointmentId: string, reason: string): Promise<void> {
    await openRefundFor(manager, appointmentId, reason);
  }

  async refundShares(manager: EntityManager, appointmentIds: string[], reason: string) {
    await openShareRefundFor(manager, appointmentIds, reason);
    // Occurrences paid one by one (none today: series occurrences are paid as a series).
    for (const appointmentId of appointmentIds) await openRefundFor(manager, appointmentId, reason);
  }

  async move(manager: EntityManager, fromAppointmentId: string, toAppointmentId: string) {
    await manager
      .getRepository(Payment)
      .update({ appointmentId: fromAppointmentId }, { appointmentId: toAppointmentId });
    // A series payment's share follows its occurrence too.
    await manager
      .getRepository(PaymentItem)
      .update({ appointmentId: fromAppointmentId }, { appointmentId: toAppointmentId });
  }
}

/** Provides booking's AppointmentPayments to both apps. */
@Global()
@Module({
  providers: [{ provide: AppointmentPayments, useClass: BookingPayments }],
  exports: [AppointmentPayments],
})
export class BookingPaymentsModule {}
