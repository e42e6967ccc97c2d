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
  /** The doctor approved a booking that needed it: now pending_payment or confirmed. */
  AppointmentApproved = 'appointment.approved',
  /** The doctor declined, or the approval deadline passed. */
  AppointmentDeclined = 'appointment.declined',
  SlotFreed = 'slot.freed',
  PaymentCaptured = 'payment.captured',
  RefundIssued = 'payment.refund_issued',
  /** A recurring series was booked (each occurrence also has its appointment.booked). */
  SeriesBooked = 'series.booked',
  /** Occurrences of a series were cancelled at once (each also has its appointment.cancelled). */
  SeriesCancelled = 'series.cancelled',
  /**
   * No longer recorded: announcements page through `notification.announcement-batch` jobs.
   * Kept so rows recorded by an older release are still delivered.
   */
  Announcement = 'announcement.sent',
}

export interface EventPayloads {
  /** The raw token travels only inside the outbox row, removed from it once dispatched. */
  [EventType.EmailVerificationRequested]: { userId: string; token: string };
  [EventType.PasswordResetRequested]: { userId: string; token: string };
  [EventType.DoctorInvited]: { userId: string; token: string };
  /** `seriesId`: booked as part of a series, told about in the series' own message. */
  [EventType.AppointmentBooked]: { appointmentId: string; seriesId?: string };
  [EventType.AppointmentConfirmed]: { appointmentId: string };
  [EventType.AppointmentCancelled]: {
    appointmentId: string;
    cancelledBy: string | null;
    /** The patient gets the fee back: a refund opened with the cancellation, or made at PayPal. */
    refund: boolean;
    /** Cancelled with the rest of its series, told about in the series' own message. */
    seriesId?: string;
  };
  [EventType.AppointmentRescheduled]: { appointmentId: string; previousAppointmentId: string };
  [EventType.AppointmentCompleted]: { appointmentId: string };
  [EventType.AppointmentNoShow]: { appointmentId: string };
  [EventType.HoldExpired]: { appointmentId: string };
  [EventType.AppointmentApproved]: { appointmentId: string };
  [EventType.AppointmentDeclined]: { appointmentId: string; declinedBy: string | null };
  [EventType.SlotFreed]: { doctorId: string; startsAt: string; endsAt: string };
  [EventType.PaymentCaptured]: { paymentId: string; appointmentId: string };
  [EventType.RefundIssued]: { paymentId: string; appointmentId: string; refundId: string };
  [EventType.SeriesBooked]: { seriesId: string };
  [EventType.SeriesCancelled]: {
    seriesId: string;
    appointmentIds: string[];
    cancelledBy: string | null;
    /** Occurrences whose fee goes back (a refund was opened with the cancellation). */
    refundedAppointmentIds: string[];
  };
  [EventType.Announcement]: {
    senderId: string;
    recipientIds: string[];
    title: string;
    body: string;
  };
}

export type DomainEventOf<T extends EventType> = { type: T; payload: EventPayloads[T] };
/** Narrowed by `type`: a consumer's switch sees each payload's own shape. */
export type DomainEvent = { [T in EventType]: DomainEventOf<T> }[EventType];

/** A relayed event as its consumers see it. */
export type StoredEvent = DomainEvent & { id: string; createdAt: Date };

interface Aggregate {
  type: string;
  id: string | null;
}

const appointment = (p: { appointmentId: string }): Aggregate => ({
  type: 'appointment',
  id: p.appointmentId,
});
const user = (p: { userId: string }): Aggregate => ({ type: 'user', id: p.userId });

/** Which aggregate each event is about, said once per type. */
const AGGREGATES: { [T in EventType]: (payload: EventPayloads[T]) => Aggregate } = {
  [EventType.EmailVerificationRequested]: user,
  [EventType.PasswordResetRequested]: user,
  [EventType.DoctorInvited]: user,
  [EventType.AppointmentBooked]: appointment,
  [EventType.AppointmentConfirmed]: appointment,
  [EventType.AppointmentCancelled]: appointment,
  [EventType.AppointmentRescheduled]: appointment,
  [EventType.AppointmentCompleted]: appointment,
  [EventType.AppointmentNoShow]: appointment,
  [EventType.HoldExpired]: appointment,
  [EventType.AppointmentApproved]: appointment,
  [EventType.AppointmentDeclined]: appointment,
  [EventType.SlotFreed]: (p) => ({ type: 'doctor', id: p.doctorId }),
  [EventType.PaymentCaptured]: (p) => ({ type: 'payment', id: p.paymentId }),
  [EventType.RefundIssued]: (p) => ({ type: 'payment', id: p.paymentId }),
  [EventType.SeriesBooked]: (p) => ({ type: 'series', id: p.seriesId }),
  [EventType.SeriesCancelled]: (p) => ({ type: 'series', id: p.seriesId }),
  [EventType.Announcement]: (p) => ({ type: 'user', id: p.senderId }),
};

export function aggregateOf<T extends EventType>(event: DomainEventOf<T>): Aggregate {
  return AGGREGATES[event.type](event.payload);
}

/** Payload fields removed from the stored event once its consumers have run. */
export const SECRET_FIELDS: Partial<Record<EventType, string[]>> = {
  [EventType.EmailVerificationRequested]: ['token'],
  [EventType.PasswordResetRequested]: ['token'],
  [EventType.DoctorInvited]: ['token'],
};

const EVENT_TYPES = new Set<string>(Object.values(EventType));

/** Whether a stored row is an event this code knows (rows of an older release may not be). */
export function isStoredEvent(event: {
  id: string;
  type: string;
  payload: object;
  createdAt: Date;
}): event is StoredEvent {
  return EVENT_TYPES.has(event.type);
}
