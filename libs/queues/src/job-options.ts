import type { JobsOptions } from 'bullmq';

/** Retries, backoff and retention for every job, set in one place. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

/** Deterministic job ids (BullMQ forbids ':' in them): adding one twice is a no-op, so producers may retry. */
export const jobIds = {
  eventDispatch: (eventId: string) => `event-${eventId}`,
  notificationEmail: (notificationId: string) => `email-${notificationId}`,
  holdExpire: (appointmentId: string) => `hold-expire-${appointmentId}`,
  reminder: (appointmentId: string, offsetMinutes: number) => `reminder-${offsetMinutes}m-${appointmentId}`,
  paymentCapture: (paymentId: string) => `capture-${paymentId}`,
  paymentRefund: (paymentId: string) => `refund-${paymentId}`,
  paymentWebhook: (paymentEventId: string) => `webhook-${paymentEventId}`,
};
