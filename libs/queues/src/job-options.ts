import type { JobsOptions } from 'bullmq';
import type { AppConfig } from '@app/config';

/** Retries, backoff and retention for every job, set in one place. */
export function jobOptions(config: AppConfig): JobsOptions {
  return {
    attempts: config.work.jobAttempts,
    backoff: { type: 'exponential', delay: config.work.jobBackoffMs },
    removeOnComplete: { count: 1000, age: 24 * 3600 },
    removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
  };
}

/** Seconds one job may spend in the queue, with every retry, before the sweeper looks at it. */
export function queueBudgetSeconds(config: AppConfig): number {
  const { jobAttempts, jobBackoffMs } = config.work;
  const backoff = (jobBackoffMs * (2 ** (jobAttempts - 1) - 1)) / 1000;
  // Each try may itself run for a while (an SMTP or PayPal timeout).
  return Math.ceil(backoff + jobAttempts * 30 + config.work.retrySeconds);
}

/**
 * Worker options for every queue. A job of a worker that died (SIGKILL, OOM) is taken up
 * again once its lock lapses: a short lock, renewed while the job runs, makes that quick.
 */
export const WORKER_OPTIONS = {
  lockDuration: 10_000,
  stalledInterval: 5_000,
  maxStalledCount: 3,
} as const;
