import { Global, Injectable, Module } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppointmentPayments } from '@app/booking';
import { Payment, PaymentStatus } from '@app/database';
import { openRefundFor } from './request-refund.use-case';

/** Payments' answers to booking, in booking's transaction. */
@Injectable()
export class BookingPayments extends AppointmentPayments {
  isPaid(manager: EntityManager, appointmentId: string): Promise<boolean> {
    return manager
      .getRepository(Payment)
      .exists({ where: { appointmentId, status: PaymentStatus.Captured } });
  }

  async refund(manager: EntityManager, appointmentId: string, reason: string): Promise<void> {
    await openRefundFor(manager, appointmentId, reason);
  }

  async move(manager: EntityManager, fromAppointmentId: string, toAppointmentId: string) {
    await manager
      .getRepository(Payment)
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
