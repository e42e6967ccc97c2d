/** Never rename a value: jobs in flight and schedulers in Redis use it. */
export enum QueueName {
  System = 'system',
  Events = 'events',
  Notifications = 'notifications',
  Booking = 'booking',
  Payments = 'payments',
  Maintenance = 'maintenance',
}

/** Never rename a value: jobs in flight use it. */
export enum JobName {
  SystemPing = 'system.ping',
  EventDispatch = 'event.dispatch',
  NotificationEmail = 'notification.email',
  Purge = 'maintenance.purge',
  HoldExpire = 'booking.hold-expire',
  HoldSweep = 'booking.hold-sweep',
  Reminder = 'booking.reminder',
  PaymentCapture = 'payment.capture',
  PaymentRefund = 'payment.refund',
  PaymentWebhook = 'payment.webhook',
  PaymentReconcile = 'payment.reconcile',
}

export interface JobPayloads {
  [JobName.SystemPing]: { token: string };
  [JobName.EventDispatch]: { eventId: string };
  [JobName.NotificationEmail]: { notificationId: string };
  [JobName.Purge]: Record<string, never>;
  [JobName.HoldExpire]: { appointmentId: string };
  [JobName.HoldSweep]: Record<string, never>;
  [JobName.Reminder]: { appointmentId: string; offsetMinutes: number; startsAt: string };
  [JobName.PaymentCapture]: { paymentId: string };
  [JobName.PaymentRefund]: { refundId: string };
  [JobName.PaymentWebhook]: { paymentEventId: string };
  [JobName.PaymentReconcile]: Record<string, never>;
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.SystemPing]: QueueName.System,
  [JobName.EventDispatch]: QueueName.Events,
  [JobName.NotificationEmail]: QueueName.Notifications,
  [JobName.Purge]: QueueName.Maintenance,
  [JobName.HoldExpire]: QueueName.Booking,
  [JobName.HoldSweep]: QueueName.Booking,
  [JobName.Reminder]: QueueName.Booking,
  [JobName.PaymentCapture]: QueueName.Payments,
  [JobName.PaymentRefund]: QueueName.Payments,
  [JobName.PaymentWebhook]: QueueName.Payments,
  [JobName.PaymentReconcile]: QueueName.Payments,
};

/** A job as producer and processor both see it: a discriminated union on `name`. */
export type JobOf<N extends JobName> = { name: N; data: JobPayloads[N] };
export type AnyJob = { [N in JobName]: JobOf<N> }[JobName];
