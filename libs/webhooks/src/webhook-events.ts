import { EventType } from '@app/queues';

/** What endpoints subscribe to (SPEC §6). Never rename a value: receivers switch on it. */
export enum WebhookEventType {
  AppointmentBooked = 'appointment.booked',
  AppointmentConfirmed = 'appointment.confirmed',
  AppointmentCancelled = 'appointment.cancelled',
  AppointmentRescheduled = 'appointment.rescheduled',
  AppointmentDeclined = 'appointment.declined',
  AppointmentExpired = 'appointment.expired',
  AppointmentCompleted = 'appointment.completed',
  AppointmentNoShow = 'appointment.no_show',
  PaymentCaptured = 'payment.captured',
  PaymentRefunded = 'payment.refunded',
}

/** Sent by `POST /webhooks/:id/test` only; not subscribable. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** Under which type each domain event goes out, or null; a new event type must say which. */
export const WEBHOOK_TYPE_OF: Record<EventType, WebhookEventType | null> = {
  [EventType.EmailVerificationRequested]: null,
  [EventType.PasswordResetRequested]: null,
  [EventType.DoctorInvited]: null,
  [EventType.SlotFreed]: null,
  [EventType.Announcement]: null,
  [EventType.AppointmentBooked]: WebhookEventType.AppointmentBooked,
  [EventType.AppointmentConfirmed]: WebhookEventType.AppointmentConfirmed,
  [EventType.AppointmentCancelled]: WebhookEventType.AppointmentCancelled,
  [EventType.AppointmentRescheduled]: WebhookEventType.AppointmentRescheduled,
  [EventType.HoldExpired]: WebhookEventType.AppointmentExpired,
  // An approval that leads to confirmed sends appointment.confirmed; SPEC has no approved event.
  [EventType.AppointmentApproved]: null,
  [EventType.AppointmentDeclined]: WebhookEventType.AppointmentDeclined,
  [EventType.AppointmentCompleted]: WebhookEventType.AppointmentCompleted,
  [EventType.AppointmentNoShow]: WebhookEventType.AppointmentNoShow,
  [EventType.PaymentCaptured]: WebhookEventType.PaymentCaptured,
  [EventType.RefundIssued]: WebhookEventType.PaymentRefunded,
  // Each occurrence sends its own appointment.* events; SPEC has no series events.
  [EventType.SeriesBooked]: null,
  [EventType.SeriesCancelled]: null,
};
