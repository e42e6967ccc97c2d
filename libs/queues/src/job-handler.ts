import { Injectable, Logger, OnModuleInit, SetMetadata } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Job } from 'bullmq';
import { JobName, JobPayloads } from './queue-names';

const JOB_HANDLER = 'app:job-handler';

/** Marks a provider method as the handler of one job name. */
export const JobHandler = (name: JobName) => SetMetadata(JOB_HANDLER, name);

export type HandlerFn<N extends JobName = JobName> = (
  data: JobPayloads[N],
  job: Job,
) => Promise<unknown>;

/**
 * Collects every @JobHandler at start and refuses to start when a job name has no
 * handler or two: a missing handler would otherwise surface only when a job fails.
 */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly logger = new Logger(JobHandlerRegistry.name);
  private readonly handlers = new Map<JobName, HandlerFn>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const found = new Map<JobName, string[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance);
      if (!prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, prototype[method]);
        if (!name) continue;
        found.set(name, [...(found.get(name) ?? []), `${prototype.constructor.name}.${method}`]);
        const fn = instance[method] as HandlerFn;
        this.handlers.set(name, fn.bind(instance));
      }
    }
    const problems: string[] = [];
    for (const name of Object.values(JobName)) {
      const where = found.get(name) ?? [];
      if (where.length === 0) problems.push(`no handler for job ${name}`);
      if (where.length > 1)
        problems.push(`job ${name} has ${where.length} handlers: ${where.join(', ')}`);
    }
    if (problems.length > 0) throw new Error(`Job handler registry: ${problems.join('; ')}`);
    this.logger.log(`Registered handlers for ${this.handlers.size} job names`);
  }

  async dispatch(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`No handler for job ${job.name}`);
    return handler(job.data, job);
  }
}
