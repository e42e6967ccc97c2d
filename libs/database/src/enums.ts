export enum UserRole {
  Patient = 'patient',
  Doctor = 'doctor',
  Admin = 'admin',
}

export enum OneTimeTokenPurpose {
  EmailVerification = 'email_verification',
  PasswordReset = 'password_reset',
}

export enum AppointmentStatus {
  PendingPayment = 'pending_payment',
  Confirmed = 'confirmed',
  Completed = 'completed',
  NoShow = 'no_show',
  Expired = 'expired',
  Cancelled = 'cancelled',
  Rescheduled = 'rescheduled',
}

/** Statuses that occupy a slot; the exclusion constraints apply to these only. */
export const LIVE_APPOINTMENT_STATUSES = [
  AppointmentStatus.PendingPayment,
  AppointmentStatus.Confirmed,
] as const;

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
  Allowed = 'allowed',
  Denied = 'denied',
}

export enum IdempotencyState {
  InProgress = 'in_progress',
  Completed = 'completed',
}
