import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { AppointmentNotFoundError, InvalidTransitionError } from '@app/booking';
import { AppConfig } from '@app/config';
import { AuditAction, AuditContext, AuditResource, AuditTrail } from '@app/core';
import {
  Appointment,
  AppointmentStatus,
  AuditOutcome,
  Payment,
  PaymentStatus,
} from '@app/database';
import { PaymentProviderError, PayPalClient, toPayPalMoney } from '../paypal';
import { PaymentNotPayableError } from './payment.errors';
import { isPayable, OPEN_PAYMENT } from './payment-rules';

/**
 * Starts paying for a held appointment: the payment row is written first (its id is the
 * PayPal-Request-Id and custom_id, so any PayPal answer or webhook finds it), then the
 * order is created. An appointment has one open payment: asking again returns it.
 */
@Injectable()
export class CreatePayment {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly paypal: PayPalClient,
    private readonly config: AppConfig,
    private readonly auditTrail: AuditTrail,
  ) {}

  async execute(actor: AuthUser, appointmentId: string, audit: AuditContext): Promise<Payment> {
    const { payment, appointment } = await this.openPayment(actor, appointmentId, audit);
    if (payment.approveUrl) return payment;
    const payments = this.db.getRepository(Payment);
    try {
      const order = await this.paypal.createOrder({
        requestId: payment.id,
        customId: payment.id,
        invoiceId: payment.id,
        amount: toPayPalMoney({ minor: payment.amountMinor, currency: payment.currency }),
        description: `Medical appointment on ${appointment.startsAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        returnUrl: `${this.config.frontendUrl}/payments/${payment.id}/return`,
        cancelUrl: `${this.config.frontendUrl}/payments/${payment.id}/cancel`,
      });
      await payments.update(
        { id: payment.id, approveUrl: IsNull() },
        { providerOrderId: order.id, approveUrl: order.approveUrl },
      );
    } catch (error) {
      if (error instanceof PaymentProviderError) {
        // The appointment keeps its hold; the patient may simply try again.
        await payments.update(
          { id: payment.id, status: PaymentStatus.Created, approveUrl: IsNull() },
          { status: PaymentStatus.Failed, failureReason: error.message },
        );
      }
      throw error;
    }
    return payments.findOneByOrFail({ id: payment.id });
  }

  /** Audited here: the payment row is the change (a PayPal failure later only marks it failed). */
  private openPayment(
    actor: AuthUser,
    appointmentId: string,
    audit: AuditContext,
  ): Promise<{ payment: Payment; appointment: Appointment }> {
    return this.db.transaction(async (manager) => {
      // The row lock serializes concurrent requests, so only one creates the payment.
      const appointment = await manager.getRepository(Appointment).findOne({
        where: { id: appointmentId, patientId: actor.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!appointment) throw new AppointmentNotFoundError();
      // One order pays for the whole series: two payments must never cover one occurrence.
      if (appointment.seriesId)
        throw new PaymentNotPayableError(
          `This appointment belongs to a series; pay for it with POST /appointment-series/${appointment.seriesId}/payments`,
        );
      // Paying comes after the doctor's approval, never before.
      if (appointment.status === AppointmentStatus.PendingApproval)
        throw new InvalidTransitionError(appointment.status, AppointmentStatus.Confirmed);
      if (!isPayable(appointment)) {
        throw new PaymentNotPayableError(
          appointment.status === AppointmentStatus.PendingPayment
            ? 'The payment hold of this appointment has expired; book the slot again'
            : `An appointment that is ${appointment.status} cannot be paid`,
        );
      }
      const payments = manager.getRepository(Payment);
      const payment =
        (await payments.findOne({ where: { appointmentId, status: In([...OPEN_PAYMENT]) } })) ??
        (await payments.save(
          payments.create({
            appointmentId,
            status: PaymentStatus.Created,
            amountMinor: appointment.feeMinor,
            currency: appointment.currency,
          }),
        ));
      await this.auditTrail.record(manager, {
        ...audit,
        action: AuditAction.PaymentCreate,
        resourceType: AuditResource.Payment,
        resourceId: payment.id,
        outcome: AuditOutcome.Allowed,
      });
      return { payment, appointment };
    });
  }
}
