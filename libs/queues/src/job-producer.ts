import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { AppConfig } from '@app/config';
import { jobOptions } from './job-options';
import type { JobDefinition, PlannedJob } from './jobs/job-definition';
import { QueueName } from './queue-names';

/** The one way jobs reach the queues: default options, deterministic ids. */
@Injectable()
export class JobProducer {
  private readonly logger = new Logger(JobProducer.name);
  private readonly queues: Record<QueueName, Queue>;
  private readonly options: JobsOptions;

  constructor(
    @InjectQueue(QueueName.System) system: Queue,
    @InjectQueue(QueueName.Events) events: Queue,
    @InjectQueue(QueueName.Notifications) notifications: Queue,
    @InjectQueue(QueueName.Booking) booking: Queue,
    @InjectQueue(QueueName.Payments) payments: Queue,
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
    @InjectQueue(QueueName.Webhooks) webhooks: Queue,
    config: AppConfig,
  ) {
    this.queues = {
      [QueueName.System]: system,
      [QueueName.Events]: events,
      [QueueName.Notifications]: notifications,
      [QueueName.Booking]: booking,
      [QueueName.Payments]: payments,
      [QueueName.Maintenance]: maintenance,
      [QueueName.Webhooks]: webhooks,
    };
    this.options = jobOptions(config);
    let warned = false;
    for (const queue of Object.values(this.queues)) {
      // Without a listener a lost Redis connection is printed by every queue, on every retry.
      queue.on('error', (error: Error) => {
        if (!warned) this.logger.warn(`Queue connection problem: ${error.message}`);
        warned = true;
      });
    }
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  allQueues(): Queue[] {
    return Object.values(this.queues);
  }

  /** Adds one job now, outside any transaction (work that is not durable, like a ping). */
  async enqueue<D extends object>(
    definition: JobDefinition<D>,
    data: D,
    options: { jobId?: string } = {},
  ): Promise<Job> {
    return this.queue(definition.queue).add(definition.name, data, {
      ...this.options,
      jobId: options.jobId ?? definition.id(data),
    });
  }

  /** Adds planned jobs; a job id already in the queue is not added again. */
  async addPlanned(jobs: PlannedJob[]): Promise<void> {
    const byQueue = new Map<QueueName, { name: string; data: object; opts: JobsOptions }[]>();
    const now = Date.now();
    for (const job of jobs) {
      const list = byQueue.get(job.queue) ?? [];
      list.push({
        name: job.name,
        data: job.data,
        opts: {
          ...this.options,
          jobId: job.jobId,
          delay: job.runAt ? Math.max(0, job.runAt.getTime() - now) : undefined,
        },
      });
      byQueue.set(job.queue, list);
    }
    await Promise.all([...byQueue].map(([queue, list]) => this.queue(queue).addBulk(list)));
  }

  /** Removes the failed jobs of these ids, so the same ids can be added again. */
  async removeFailed(jobs: PlannedJob[]): Promise<void> {
    for (const job of jobs) {
      const found = await this.queue(job.queue).getJob(job.jobId);
      if (found && (await found.isFailed())) await found.remove().catch(() => undefined);
    }
  }

  /** Removes a job that has not started (a reminder of a cancelled appointment); absent is fine. */
  async remove(queue: QueueName, jobId: string): Promise<void> {
    const job = await this.queue(queue).getJob(jobId);
    if (job && !(await job.isActive())) await job.remove().catch(() => undefined);
  }
}
