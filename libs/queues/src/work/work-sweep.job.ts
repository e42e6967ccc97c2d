import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxKind, WorkState } from '@app/database';
import { JobProducer } from '../job-producer';
import { defineJob, definedJobs, JobHandler, JobHandlerRegistry } from '../jobs';
import { QueueName } from '../queue-names';
import { ClaimedWork, WorkItems } from './work-items';

const BATCH = 200;
const IN_FLIGHT = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

export const workSweepJob = defineJob<Record<string, never>>({
  name: 'maintenance.work-sweep',
  queue: QueueName.Maintenance,
  id: () => 'work-sweep',
  schedule: { id: 'work-sweep', everyMs: (config) => config.work.sweepSeconds * 1000 },
});

export interface SweepResult {
  requeued: number;
  failed: number;
  done: number;
}

/**
 * Picks up work whose queue tries ran out or whose job vanished (Redis lost it): it goes
 * round again, with a growing delay, until its deadline; then it is marked failed.
 */
@Injectable()
export class WorkSweepHandler extends JobHandler<Record<string, never>> {
  readonly job = workSweepJob;
  private readonly logger = new Logger(WorkSweepHandler.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly work: WorkItems,
    private readonly producer: JobProducer,
    private readonly moduleRef: ModuleRef,
  ) {
    super();
  }

  async run(): Promise<SweepResult> {
    const result: SweepResult = { requeued: 0, failed: 0, done: 0 };
    const givenUp: ClaimedWork[] = [];
    await this.db.transaction(async (manager) => {
      for (const item of await this.work.claimDue(manager, BATCH)) {
        const state = await this.jobState(item);
        if (state === 'completed') {
          await this.work.settle(manager, item.id, WorkState.Done);
          result.done += 1;
        } else if (IN_FLIGHT.has(state)) {
          await this.work.postpone(manager, item.id);
        } else if (this.work.isPastDeadline(item)) {
          await this.work.settle(manager, item.id, WorkState.Failed);
          givenUp.push(item);
          result.failed += 1;
        } else {
          await this.work.requeue(manager, item.id);
          result.requeued += 1;
        }
      }
    });
    for (const item of givenUp) await this.abandon(item);
    if (result.requeued + result.failed > 0) this.logger.log({ msg: 'Work swept', ...result });
    return result;
  }

  private queueOf(item: ClaimedWork): QueueName | undefined {
    if (item.kind === OutboxKind.Event) return QueueName.Events;
    return definedJobs().find((job) => job.name === item.type)?.queue;
  }

  private async jobState(item: ClaimedWork): Promise<string> {
    const queue = this.queueOf(item);
    if (!queue || !item.jobId) return 'unknown';
    return this.producer.queue(queue).getJobState(item.jobId);
  }

  private async abandon(item: ClaimedWork): Promise<void> {
    this.logger.error({ msg: 'Work failed for good', id: item.id, type: item.type });
    const handler = this.moduleRef.get(JobHandlerRegistry, { strict: false }).handlerOf(item.type);
    await handler?.giveUp?.(item.payload, 'gave up after the deadline').catch((error: Error) => {
      this.logger.warn(`Give-up hook of ${item.type} failed: ${error.message}`);
    });
  }
}
