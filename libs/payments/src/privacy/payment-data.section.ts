import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { formatMoney } from '@app/common';
import type { DataSubject, PersonalDataSection } from '@app/core';
import { Appointment, Payment, Refund } from '@app/database';

/**
 * Payments and refunds of the subject's own bookings. Kept through an erasure: they are
 * accounting records, and they name nobody (the appointment points at the anonymized account).
 */
@Injectable()
export class PaymentDataSection implements PersonalDataSection {
  readonly name = 'payments';

  async export(manager: EntityManager, subject: DataSubject) {
    const appointments = await manager.find(Appointment, {
      where: { patientId: subject.id },
      select: { id: true },
    });
    const payments = appointments.length
      ? await manager.find(Payment, {
          where: { appointmentId: In(appointments.map((a) => a.id)) },
          order: { createdAt: 'ASC' },
        })
      : [];
    const refunds = payments.length
      ? await manager.find(Refund, {
          where: { paymentId: In(payments.map((p) => p.id)) },
          order: { createdAt: 'ASC' },
        })
      : [];
    return {
      data: payments.map((p) => ({
        id: p.id,
        appointmentId: p.appointmentId,
        status: p.status,
        amount: formatMoney({ minor: p.amountMinor, currency: p.currency.trim() }),
        provider: p.provider,
        providerOrderId: p.providerOrderId,
        capturedAt: p.capturedAt,
        refundedAt: p.refundedAt,
        createdAt: p.createdAt,
        refunds: refunds
          .filter((r) => r.paymentId === p.id)
          .map((r) => ({
            id: r.id,
            amount: formatMoney({ minor: r.amountMinor, currency: r.currency.trim() }),
            status: r.status,
            reason: r.reason,
            createdAt: r.createdAt,
            completedAt: r.completedAt,
          })),
      })),
      recordIds: payments.map((p) => p.id),
    };
  }
}
