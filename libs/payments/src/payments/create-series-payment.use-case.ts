import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { InvalidTransitionError, SeriesNotFoundError } from '@app/booking';
import { AppConfig } from '@app/config';
import { AuditAction, AuditContext, AuditResource, AuditTrail } from '@app/core';
import {
  Appointment,
  AppointmentSeries,
  AppointmentStatus,
  AuditOutcome,
  Payment,
  PaymentItem,
  PaymentStatus,
} from '@app/database';
import { PaymentProviderError, PayPalClient, toPayPalMoney } from '../paypal';
import { PaymentNotPayableError } from './payment.errors';
import { OPEN_PAYMENT } from './payment-rules';
import { payableOccurrences } from './series-payment-settlement';

/**
 * One PayPal order for every live occurrence of a series that awaits payment: the payment
 * row and its items (each occurrence's share) are written first, under the occurrences'
 * row locks, then the order is created. A series has one open payment: asking again returns it.
 */
@Injectable()
export class CreateSeriesPayment {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly paypal: PayPalClient,
    private readonly config: AppConfig,
    private readonly auditTrail: AuditTrail,
  ) {}

  async execute(actor: AuthUser, seriesId: string, audit: AuditContext): Promise<Payment> {
    const payment = await this.openPayment(actor, seriesId, audit);
    if (payment.approveUrl) return payment;
    const payments = this.db.getRepository(Payment);
    try {
      const order = await this.paypal.createOrder({
        requestId: payment.id,
        customId: payment.id,
        invoiceId: payment.id,
        amount: toPayPalMoney({ minor: payment.amountMinor, currency: payment.currency }),
        description: 'Series of medical appointments',
        returnUrl: `${this.config.frontendUrl}/payments/${payment.id}/return`,
        cancelUrl: `${this.config.frontendUrl}/payments/${payment.id}/cancel`,
      });
      await payments.update(
        { id: payment.id, approveUrl: IsNull() },
        { providerOrderId: order.id, approveUrl: order.approveUrl },
      );
    } catch (error) {
      if (error instanceof PaymentProviderError) {
        await payments.update(
          { id: payment.id, status: PaymentStatus.Created, approveUrl: IsNull() },
          { status: PaymentStatus.Failed, failureReason: error.message },
        );
      }
      throw error;
    }
    return payments.findOneByOrFail({ id: payment.id });
  }

  private openPayment(actor: AuthUser, seriesId: string, audit: AuditContext): Promise<Payment> {
    return this.db.transaction(async (manager) => {
      const series = await manager.getRepository(AppointmentSeries).findOne({
        where: { id: seriesId, patientId: actor.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!series) throw new SeriesNotFoundError();
      const payments = manager.getRepository(Payment);
      const open = await payments.findOne({
        where: { seriesId, status: In([...OPEN_PAYMENT]) },
      });
      let payment = open;
      if (!payment) {
        const occurrences = await manager.getRepository(Appointment).find({
          where: { seriesId },
          order: { startsAt: 'ASC', id: 'ASC' },
          lock: { mode: 'pessimistic_write' },
        });
        const payable = payableOccurrences(occurrences);
        if (payable.length === 0) {
          // Paying comes after the doctor's approval, never before.
          if (occurrences.some((o) => o.status === AppointmentStatus.PendingApproval))
            throw new InvalidTransitionError(
              AppointmentStatus.PendingApproval,
              AppointmentStatus.Confirmed,
            );
          throw new PaymentNotPayableError(
            'No occurrence of this series is waiting for payment (paid, free, or its hold has expired)',
          );
        }
        payment = await payments.save(
          payments.create({
            appointmentId: null,
            seriesId,
            status: PaymentStatus.Created,
            amountMinor: payable.reduce((sum, a) => sum + a.feeMinor, 0),
            currency: payable[0].currency,
          }),
        );
        await manager.getRepository(PaymentItem).insert(
          payable.map((a) => ({
            paymentId: payment!.id,
            appointmentId: a.id,
            amountMinor: a.feeMinor,
            refundId: null,
          })),
        );
      }
      await this.auditTrail.record(manager, {
        ...audit,
        action: AuditAction.PaymentCreate,
        resourceType: AuditResource.Payment,
        resourceId: payment.id,
        outcome: AuditOutcome.Allowed,
      });
      return payment;
    });
  }
}
