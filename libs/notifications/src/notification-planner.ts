import { Injectable } from '@nestjs/common';
import { EventType, StoredEvent } from '@app/queues';
import type { NotificationDraft } from './message';
import { AccountMessages } from './planners/account-messages';
import { AppointmentMessages } from './planners/appointment-messages';
import { AnnouncementMessage, BroadcastMessages } from './planners/broadcast-messages';
import { PaymentMessages } from './planners/payment-messages';
import { SeriesMessages } from './planners/series-messages';

/** Decides who hears about an event and what they are told. */
@Injectable()
export class NotificationPlanner {
  constructor(
    private readonly accounts: AccountMessages,
    private readonly appointments: AppointmentMessages,
    private readonly payments: PaymentMessages,
    private readonly broadcasts: BroadcastMessages,
    private readonly series: SeriesMessages,
  ) {}

  async plan(event: StoredEvent): Promise<NotificationDraft[]> {
    const eventId = event.id;
    switch (event.type) {
      case EventType.EmailVerificationRequested:
        return this.accounts.accountEmail(eventId, event.payload, 'verify-email', {
          subject: 'account.verifyEmail.subject',
          heading: 'account.verifyEmail.heading',
          paragraphs: ['account.verifyEmail.body'],
          action: 'account.verifyEmail.action',
        });
      case EventType.PasswordResetRequested:
        return this.accounts.accountEmail(eventId, event.payload, 'reset-password', {
          subject: 'account.resetPassword.subject',
          heading: 'account.resetPassword.heading',
          paragraphs: ['account.resetPassword.body', 'account.resetPassword.notYou'],
          action: 'account.resetPassword.action',
        });
      case EventType.DoctorInvited:
        return this.accounts.accountEmail(eventId, event.payload, 'set-password', {
          subject: 'account.doctorInvited.subject',
          heading: 'account.doctorInvited.heading',
          paragraphs: ['account.doctorInvited.body'],
          action: 'account.doctorInvited.action',
        });
      case EventType.AppointmentBooked:
        return this.appointments.appointmentBooked(eventId, event.payload);
      case EventType.AppointmentConfirmed:
        return this.appointments.appointmentConfirmed(eventId, event.payload);
      case EventType.AppointmentCancelled:
        return this.appointments.appointmentCancelled(eventId, event.payload);
      case EventType.AppointmentRescheduled:
        return this.appointments.appointmentRescheduled(eventId, event.payload);
      case EventType.AppointmentApproved:
        return this.appointments.appointmentApproved(eventId, event.payload);
      case EventType.AppointmentDeclined:
        return this.appointments.appointmentDeclined(eventId, event.payload);
      case EventType.HoldExpired:
        return this.appointments.holdExpired(eventId, event.payload);
      case EventType.SlotFreed:
        return this.broadcasts.slotFreed(eventId, event.payload);
      case EventType.PaymentCaptured:
        return this.payments.paymentCaptured(eventId, event.payload);
      case EventType.RefundIssued:
        return this.payments.refundIssued(eventId, event.payload);
      case EventType.Announcement:
        return this.broadcasts.announcement(eventId, event.payload);
      case EventType.SeriesBooked:
        return this.series.seriesBooked(eventId, event.payload);
      case EventType.SeriesCancelled:
        return this.series.seriesCancelled(eventId, event.payload);
      case EventType.AppointmentCompleted:
      case EventType.AppointmentNoShow:
        return [];
      default:
        return [];
    }
  }

  /** One page of an announcement's recipients; `key` makes each one's notification unique. */
  announcement(key: string, message: AnnouncementMessage): Promise<NotificationDraft[]> {
    return this.broadcasts.announcement(key, message);
  }

  /** A reminder of an upcoming appointment, or nothing if it is no longer confirmed. */
  reminder(appointmentId: string, offsetMinutes: number): Promise<NotificationDraft[]> {
    return this.appointments.reminder(appointmentId, offsetMinutes);
  }
}
