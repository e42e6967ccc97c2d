/**
 * Domain events: written to the outbox in the same transaction as the change, relayed
 * by the worker. Never rename a value: stored events use it.
 */
export enum EventType {
  EmailVerificationRequested = 'auth.email_verification_requested',
  PasswordResetRequested = 'auth.password_reset_requested',
  DoctorInvited = 'auth.doctor_invited',
  AppointmentBooked = 'appointment.booked',
  AppointmentConfirmed = 'appointment.confirmed',
  AppointmentCancelled = 'appointment.cancelled',
  AppointmentRescheduled = 'appointment.rescheduled',
  AppointmentCompleted = 'appointment.completed',
  AppointmentNoShow = 'appointment.no_show',
  HoldExpired = 'appointment.hold_expired',
  SlotFreed = 'slot.freed',
  PaymentCaptured = 'payment.captured',
  RefundIssued = 'payment.refund_issued',
  PaymentCaptureRequested = 'payment.capture_requested',
  PaymentWebhookReceived = 'payment.webhook_received',
  RefundRequested = 'payment.refund_requested',
  Announcement = 'announcement.sent',
}

export interface EventPayloads {
  /** The raw token travels only inside the outbox row, purged after the retention window. */
  [EventType.EmailVerificationRequested]: { userId: string; token: string };
  [EventType.PasswordResetRequested]: { userId: string; token: string };
  [EventType.DoctorInvited]: { userId: string; token: string };
  [EventType.AppointmentBooked]: { appointmentId: string };
  [EventType.AppointmentConfirmed]: { appointmentId: string };
  [EventType.AppointmentCancelled]: {
    appointmentId: string;
    cancelledBy: string | null;
    refund: boolean;
  };
  [EventType.AppointmentRescheduled]: { appointmentId: string; previousAppointmentId: string };
  [EventType.AppointmentCompleted]: { appointmentId: string };
  [EventType.AppointmentNoShow]: { appointmentId: string };
  [EventType.HoldExpired]: { appointmentId: string };
  [EventType.SlotFreed]: { doctorId: string; startsAt: string; endsAt: string };
  [EventType.PaymentCaptured]: { paymentId: string; appointmentId: string };
  [EventType.RefundIssued]: { paymentId: string; appointmentId: string; refundId: string };
  [EventType.PaymentCaptureRequested]: { paymentId: string; appointmentId: string };
  /** A verified PayPal webhook stored in the payment_events inbox. */
  [EventType.PaymentWebhookReceived]: { paymentEventId: string };
  [EventType.RefundRequested]: { paymentId: string; appointmentId: string; refundId: string };
  [EventType.Announcement]: {
    senderId: string;
    recipientIds: string[];
    title: string;
    body: string;
  };
}

export type DomainEventOf<T extends EventType> = { type: T; payload: EventPayloads[T] };
export type DomainEvent = { [T in EventType]: DomainEventOf<T> }[EventType];
