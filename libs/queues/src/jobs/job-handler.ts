import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '@app/config';
import { JobProducer } from '../job-producer';
import { WorkItems } from '../work/work-items';
import { definedJobs, JobDefinition } from './job-definition';

export interface JobContext {
  jobId: string;
  /** 1 on the first try. */
  attempt: number;
}

/** Runs one job; lives in the job's file, beside its definition. Must be idempotent. */
export abstract class JobHandler<D extends object> {
  abstract readonly job: JobDefinition<D>;
  abstract run(data: D, context: JobContext): Promise<unknown>;
  /** Called once when the sweeper gives the work up: record it where a person will see it. */
  giveUp?(data: D, reason: string): Promise<void>;
}

/** The worker's list of handler instances (apps/worker/src/jobs.ts). */
export const JOB_HANDLERS = Symbol('JOB_HANDLERS');

/**
 * Maps job names to handlers and refuses to start when a defined job has no handler or two:
 * a missing handler would otherwise surface only when a job fails. Sets up the schedules of
 * recurring jobs.
 */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(JobHandlerRegistry.name);
  private readonly byName = new Map<string, JobHandler<object>>();

  constructor(
    @Inject(JOB_HANDLERS) private readonly handlers: JobHandler<object>[],
    private readonly config: AppConfig,
    private readonly work: WorkItems,
    @Optional() private readonly producer?: JobProducer,
  ) {}

  onModuleInit(): void {
    const problems: string[] = [];
    for (const handler of this.handlers) {
      const other = this.byName.get(handler.job.name);
      if (other) {
        problems.push(
          `job ${handler.job.name} has two handlers: ${other.constructor.name}, ${handler.constructor.name}`,
        );
      }
      this.byName.set(handler.job.name, handler);
    }
    for (const definition of definedJobs()) {
      if (!this.byName.has(definition.name)) problems.push(`no handler for job ${definition.name}`);
    }
    if (problems.length > 0) throw new Error(`Job handler registry: ${problems.join('; ')}`);
    this.logger.log(`Registered handlers for ${this.byName.size} jobs`);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.producer) return;
    for (const { job } of this.handlers) {
      if (!job.schedule) continue;
      await this.producer
        .queue(job.queue)
        .upsertJobScheduler(
          job.schedule.id,
          { every: job.schedule.everyMs(this.config) },
          { name: job.name, data: {} },
        )
        .catch((error: Error) =>
          this.logger.warn(`Schedule ${job.schedule?.id} not set: ${error.message}`),
        );
    }
  }

  handlerOf(name: string): JobHandler<object> | undefined {
    return this.byName.get(name);
  }

  /** Runs a job and records its work as done; a failed record is left to the sweeper. */
  async dispatch(job: Job): Promise<unknown> {
    const handler = this.byName.get(job.name);
    if (!handler) throw new Error(`No handler for job ${job.name}`);
    const result = await handler.run(job.data, {
      jobId: job.id ?? '',
      attempt: job.attemptsMade + 1,
    });
    if (job.id) {
      await this.work.markDone(job.id).catch((error: Error) => {
        this.logger.warn(`Job ${job.id} done but not recorded: ${error.message}`);
      });
    }
    return result;
  }

  /** Keeps the last error on the work row; after the last try the sweeper's clock starts. */
  async failed(job: Job, error: Error): Promise<void> {
    if (!job.id) return;
    const lastTry = job.attemptsMade >= (job.opts.attempts ?? 1);
    await this.work.recordFailure(job.id, error.message, lastTry).catch(() => undefined);
  }
}
