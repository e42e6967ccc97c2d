export enum UserRole {
  Patient = 'patient',
  Doctor = 'doctor',
  Admin = 'admin',
}

/** The languages emails and in-app notifications are written in. */
export enum Locale {
  En = 'en',
  De = 'de',
  Fr = 'fr',
  Es = 'es',
}

export enum OneTimeTokenPurpose {
  EmailVerification = 'email_verification',
  PasswordReset = 'password_reset',
}

export enum AppointmentStatus {
  /** Booked a type that needs the doctor's approval; holds the slot until decided. */
  PendingApproval = 'pending_approval',
  PendingPayment = 'pending_payment',
  Confirmed = 'confirmed',
  Completed = 'completed',
  NoShow = 'no_show',
  Expired = 'expired',
  Cancelled = 'cancelled',
  Rescheduled = 'rescheduled',
  /** The doctor said no, or the approval deadline passed. */
  Declined = 'declined',
}

/** Statuses that occupy a slot; the exclusion constraints apply to these only. */
export const LIVE_APPOINTMENT_STATUSES = [
  AppointmentStatus.PendingApproval,
  AppointmentStatus.PendingPayment,
  AppointmentStatus.Confirmed,
] as const;

export enum VisitMode {
  InPerson = 'in_person',
  Video = 'video',
  Phone = 'phone',
}

export enum PaymentStatus {
  Created = 'created',
  Approved = 'approved',
  Captured = 'captured',
  Refunded = 'refunded',
  Failed = 'failed',
}

export enum RefundStatus {
  Pending = 'pending',
  Completed = 'completed',
  Failed = 'failed',
}

export enum NotificationChannel {
  Email = 'email',
  InApp = 'in_app',
}

export enum DeliveryStatus {
  Pending = 'pending',
  Sent = 'sent',
  Failed = 'failed',
}

export enum AuditOutcome {
  /** Done (a change) or answered (a read). */
  Allowed = 'allowed',
  /** Refused because the caller may not see or touch the resource (401, 403, 404). */
  Denied = 'denied',
  /** Refused for another reason: the action is not possible as asked (any other 4xx). */
  Failed = 'failed',
}

export enum IdempotencyState {
  InProgress = 'in_progress',
  Completed = 'completed',
}

/** What an outbox row carries: a domain event for its consumers, or one job to run. */
export enum OutboxKind {
  Event = 'event',
  Job = 'job',
}

/** Where a unit of background work stands; the sweeper moves it until done or failed. */
export enum WorkState {
  /** Committed, not yet in the queue (the relay takes it). */
  Pending = 'pending',
  /** In the queue; `next_attempt_at` is when the sweeper checks on it. */
  Queued = 'queued',
  Done = 'done',
  /** Past its deadline: counted in /metrics and shown to admins. */
  Failed = 'failed',
  /** No longer wanted (a reminder of a cancelled appointment). */
  Cancelled = 'cancelled',
}
