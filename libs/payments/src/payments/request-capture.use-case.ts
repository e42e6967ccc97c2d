import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Payment, PaymentStatus } from '@app/database';
import { randomUUID } from 'node:crypto';
import { recordJobs } from '@app/queues';
import { capturePaymentJob } from '../jobs/capture-payment.job';
import { PaymentNotFoundError, PaymentNotPayableError } from './payment.errors';
import { isAwaitingCapture, isPayable } from './payment-rules';
import { paymentsVisibleTo } from './payment-scope';

/**
 * The patient says they approved at PayPal: the capture is requested through the outbox
 * (the api never needs Redis) and done by the worker. Asking again for a captured payment
 * answers it unchanged.
 */
@Injectable()
export class RequestCapture {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(actor: AuthUser, paymentId: string): Promise<Payment> {
    return this.db.transaction(async (manager) => {
      const where = paymentsVisibleTo(actor, paymentId);
      const payment = where
        ? await manager.getRepository(Payment).findOne({ where, relations: { appointment: true } })
        : null;
      if (!payment?.appointment) throw new PaymentNotFoundError();
      if (payment.status === PaymentStatus.Captured) return payment;
      if (!isAwaitingCapture(payment.status)) {
        throw new PaymentNotPayableError(
          `A ${payment.status} payment cannot be captured; create a new one`,
        );
      }
      if (!payment.providerOrderId)
        throw new PaymentNotPayableError('This payment has no PayPal order yet');
      if (!isPayable(payment.appointment)) {
        throw new PaymentNotPayableError(
          `The appointment is ${payment.appointment.status} or its payment hold has expired`,
        );
      }
      await recordJobs(manager, [capturePaymentJob.with({ paymentId, requestId: randomUUID() })]);
      return payment;
    });
  }
}
