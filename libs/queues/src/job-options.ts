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
  reminder: (appointmentId: string, offsetMinutes: number) =>
    `reminder-${offsetMinutes}m-${appointmentId}`,
  // One capture job per request (request, approval webhook, reconciliation): a finished job must not swallow a later request.
  paymentCapture: (paymentId: string, triggerId: string) => `capture-${paymentId}-${triggerId}`,
  paymentRefund: (refundId: string) => `refund-${refundId}`,
  paymentWebhook: (paymentEventId: string) => `webhook-${paymentEventId}`,
};

/**
 * Worker options for every queue. A job of a worker that died (SIGKILL, OOM) is taken up
 * again once its lock lapses: a short lock, renewed while the job runs, makes that quick.
 */
export const WORKER_OPTIONS = {
  lockDuration: 10_000,
  stalledInterval: 5_000,
  maxStalledCount: 3,
} as const;
