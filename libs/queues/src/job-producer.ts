import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { DEFAULT_JOB_OPTIONS } from './job-options';
import { AnyJob, JOB_QUEUE, QueueName } from './queue-names';

export interface EnqueueOptions {
  jobId?: string;
  delayMs?: number;
  attempts?: number;
}

/** The one way jobs are added: typed payloads, default options, deterministic ids. */
@Injectable()
export class JobProducer {
  private readonly logger = new Logger(JobProducer.name);
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QueueName.System) system: Queue,
    @InjectQueue(QueueName.Events) events: Queue,
    @InjectQueue(QueueName.Notifications) notifications: Queue,
    @InjectQueue(QueueName.Booking) booking: Queue,
    @InjectQueue(QueueName.Payments) payments: Queue,
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
  ) {
    this.queues = {
      [QueueName.System]: system,
      [QueueName.Events]: events,
      [QueueName.Notifications]: notifications,
      [QueueName.Booking]: booking,
      [QueueName.Payments]: payments,
      [QueueName.Maintenance]: maintenance,
    };
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

  async enqueue(job: AnyJob, options: EnqueueOptions = {}): Promise<Job> {
    const opts: JobsOptions = {
      ...DEFAULT_JOB_OPTIONS,
      jobId: options.jobId,
      delay: options.delayMs,
    };
    if (options.attempts) opts.attempts = options.attempts;
    // add() (not addBulk) so a repeated jobId is deduplicated by BullMQ.
    return this.queue(JOB_QUEUE[job.name]).add(job.name, job.data, opts);
  }

  async enqueueMany(jobs: { job: AnyJob; options?: EnqueueOptions }[]): Promise<void> {
    const byQueue = new Map<QueueName, { name: string; data: unknown; opts: JobsOptions }[]>();
    for (const { job, options = {} } of jobs) {
      const queue = JOB_QUEUE[job.name];
      const list = byQueue.get(queue) ?? [];
      list.push({
        name: job.name,
        data: job.data,
        opts: { ...DEFAULT_JOB_OPTIONS, jobId: options.jobId, delay: options.delayMs },
      });
      byQueue.set(queue, list);
    }
    await Promise.all([...byQueue].map(([queue, list]) => this.queue(queue).addBulk(list)));
  }

  /** Removes a delayed job (a reminder of a cancelled appointment); absent is fine. */
  async remove(queue: QueueName, jobId: string): Promise<void> {
    const job = await this.queue(queue).getJob(jobId);
    if (job && !(await job.isActive())) await job.remove().catch(() => undefined);
  }
}
