import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { AuditAction, AuditContext, AuditResource, AuditTrail } from '@app/core';
import { AuditOutcome, Payment, PaymentStatus } from '@app/database';
import { randomUUID } from 'node:crypto';
import { recordJobs } from '@app/queues';
import { capturePaymentJob } from '../jobs/capture-payment.job';
import { PaymentNotFoundError, PaymentNotPayableError } from './payment.errors';
import { isAwaitingCapture, isPayable } from './payment-rules';
import { paymentsVisibleTo } from './payment-scope';
import { coveredPayable } from './series-payments';

/**
 * The patient says they approved at PayPal: the capture is requested through the outbox
 * (the api never needs Redis) and done by the worker. Asking again for a captured payment
 * answers it unchanged.
 */
@Injectable()
export class RequestCapture {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly auditTrail: AuditTrail,
  ) {}

  async execute(actor: AuthUser, paymentId: string, audit: AuditContext): Promise<Payment> {
    return this.db.transaction(async (manager) => {
      const where = paymentsVisibleTo(actor, paymentId);
      const payment = where
        ? await manager.getRepository(Payment).findOne({ where, relations: { appointment: true } })
        : null;
      if (!payment || (!payment.appointment && !payment.seriesId)) throw new PaymentNotFoundError();
      // Asking again for a captured payment answers it unchanged.
      if (payment.status !== PaymentStatus.Captured) {
        const payable = payment.seriesId
          ? (await coveredPayable(manager, paymentId)).length > 0
          : isPayable(payment.appointment!);
        assertCapturable(payment, payable);
        await recordJobs(manager, [capturePaymentJob.with({ paymentId, requestId: randomUUID() })]);
      }
      await this.auditTrail.record(manager, {
        ...audit,
        action: AuditAction.PaymentCapture,
        resourceType: AuditResource.Payment,
        resourceId: paymentId,
        outcome: AuditOutcome.Allowed,
      });
      return payment;
    });
  }
}

/** A capture can be asked for an approved order whose appointment still holds its slot. */
function assertCapturable(payment: Payment, payable: boolean): void {
  if (!isAwaitingCapture(payment.status)) {
    throw new PaymentNotPayableError(
      `A ${payment.status} payment cannot be captured; create a new one`,
    );
  }
  if (!payment.providerOrderId)
    throw new PaymentNotPayableError('This payment has no PayPal order yet');
  if (!payable) {
    throw new PaymentNotPayableError(
      payment.seriesId
        ? 'No occurrence of the series is waiting for this payment any more'
        : `The appointment is ${payment.appointment?.status} or its payment hold has expired`,
    );
  }
}
