import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { QueueProcessor } from '@app/queues';
import { PROCESSORS } from './processors';

/**
 * On SIGTERM the worker takes no new jobs and finishes the running ones before anything
 * else stops: this runs before the shutdown hooks that close PostgreSQL and Redis.
 */
@Injectable()
export class WorkerDrain implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  constructor(private readonly modules: ModuleRef) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const workers = PROCESSORS.map(
      (processor) => this.modules.get<QueueProcessor>(processor, { strict: false }).worker,
    );
    this.logger.log(`${signal ?? 'Close'}: taking no new jobs, finishing the running ones`);
    const startedAt = Date.now();
    await Promise.all(workers.map((worker) => worker.close()));
    this.logger.log(`Running jobs finished in ${Date.now() - startedAt} ms`);
  }
}
