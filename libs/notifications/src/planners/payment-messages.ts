import { Injectable } from '@nestjs/common';
import type { MessageKey } from '../i18n/translator';
import type { NotificationDraft } from '../message';
import { BOTH, doctorName, NotificationReads, zoneOf } from './notification-reads';

/** Receipts and refund notices for patients, in their language. */
@Injectable()
export class PaymentMessages {
  constructor(private readonly reads: NotificationReads) {}

  async paymentCaptured(
    eventId: string,
    payload: { paymentId: string; appointmentId: string },
  ): Promise<NotificationDraft[]> {
    return this.paymentMessage(eventId, payload, 'payment.captured', {
      subject: 'payment.captured.subject',
      line: 'payment.captured.body',
    });
  }

  async refundIssued(
    eventId: string,
    payload: { paymentId: string; appointmentId: string },
  ): Promise<NotificationDraft[]> {
    return this.paymentMessage(eventId, payload, 'payment.refunded', {
      subject: 'payment.refunded.subject',
      line: 'payment.refunded.body',
    });
  }

  async paymentMessage(
    eventId: string,
    { appointmentId, paymentId }: { paymentId: string; appointmentId: string },
    type: string,
    keys: { subject: MessageKey; line: MessageKey },
  ): Promise<NotificationDraft[]> {
    const view = await this.reads.appointmentView(appointmentId);
    if (!view || view.patient.erasedAt) return [];
    const m = this.reads.messagesFor(view.patient);
    const zone = zoneOf(view.patient, view.doctorZone);
    const subject = m.t(keys.subject);
    return [
      {
        userId: view.patient.id,
        type,
        dedupeKey: `${eventId}:${view.patient.id}`,
        channels: BOTH,
        content: {
          locale: m.locale,
          subject,
          heading: subject,
          paragraphs: [m.t(keys.line)],
          details: [
            {
              label: m.t('label.amount'),
              value: m.money(view.appointment.feeMinor, view.appointment.currency),
            },
            {
              label: m.t('label.appointment'),
              value: `${doctorName(m, view.doctor)}, ${m.when(view.appointment.startsAt, zone)}`,
            },
            { label: m.t('label.paymentReference'), value: paymentId },
          ],
          action: this.reads.appointmentLink(m, appointmentId),
        },
        data: { appointmentId, paymentId },
      },
    ];
  }
}
