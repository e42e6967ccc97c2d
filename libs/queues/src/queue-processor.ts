import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandlerRegistry } from './jobs';

/** Base of the per-queue processors: dispatches by job name, logs with id and attempt. */
export abstract class QueueProcessor extends WorkerHost {
  protected readonly logger = new Logger(this.constructor.name);

  constructor(private readonly registry: JobHandlerRegistry) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    return this.registry.dispatch(job);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    if (job) void this.registry.failed(job, error);
    this.logger.warn({
      msg: 'Job failed',
      jobId: job?.id,
      job: job?.name,
      attempt: job?.attemptsMade,
      maxAttempts: job?.opts.attempts,
      error: error.message,
    });
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): void {
    this.logger.debug({
      msg: 'Job completed',
      jobId: job.id,
      job: job.name,
      attempt: job.attemptsMade,
    });
  }
}
