import { Injectable } from '@nestjs/common';
import { formatMoney } from '@app/common';
import { formatWhen } from '../format';
import type { NotificationDraft } from '../message';
import { BOTH, doctorName, NotificationReads } from './notification-reads';

/** Receipts and refund notices for patients. */
@Injectable()
export class PaymentMessages {
  constructor(private readonly reads: NotificationReads) {}

  async paymentCaptured(
    eventId: string,
    payload: { paymentId: string; appointmentId: string },
  ): Promise<NotificationDraft[]> {
    return this.paymentMessage(
      eventId,
      payload.appointmentId,
      payload.paymentId,
      'payment.captured',
      'Payment received',
      'Thank you, we received your payment.',
    );
  }

  async refundIssued(
    eventId: string,
    payload: { paymentId: string; appointmentId: string },
  ): Promise<NotificationDraft[]> {
    return this.paymentMessage(
      eventId,
      payload.appointmentId,
      payload.paymentId,
      'payment.refunded',
      'Refund issued',
      'Your payment was refunded. It may take a few days to appear on your statement.',
    );
  }

  async paymentMessage(
    eventId: string,
    appointmentId: string,
    paymentId: string,
    type: string,
    subject: string,
    line: string,
  ): Promise<NotificationDraft[]> {
    const view = await this.reads.appointmentView(appointmentId);
    if (!view) return [];
    const amount = formatMoney({
      minor: view.appointment.feeMinor,
      currency: view.appointment.currency,
    });
    return [
      {
        userId: view.patient.id,
        type,
        dedupeKey: `${eventId}:${view.patient.id}`,
        channels: BOTH,
        content: {
          subject,
          heading: subject,
          paragraphs: [line],
          details: [
            { label: 'Amount', value: `${amount.amount} ${amount.currency}` },
            {
              label: 'Appointment',
              value: `${doctorName(view.doctor)}, ${formatWhen(view.appointment.startsAt, view.patient.timezone)}`,
            },
            { label: 'Payment reference', value: paymentId },
          ],
          action: this.reads.appointmentLink(appointmentId),
        },
        data: { appointmentId, paymentId },
      },
    ];
  }
}
