import type { AppConfig } from '@app/config';
import { QueueName } from '../queue-names';

export interface JobSchedule {
  /** The scheduler's id in Redis; never rename (a renamed one would run beside the old). */
  id: string;
  everyMs: (config: AppConfig) => number;
}

export interface JobSpec<D> {
  /** Never rename: jobs in flight and stored outbox rows use it. */
  name: string;
  queue: QueueName;
  /** Deterministic job id (BullMQ forbids ':'): the same work added twice runs once. */
  id(data: D): string;
  /** Recurring jobs: one scheduler in Redis however many workers run. */
  schedule?: JobSchedule;
}

/** One job to run, ready for the outbox or the queue. */
export interface PlannedJob {
  name: string;
  queue: QueueName;
  jobId: string;
  data: object;
  runAt: Date | null;
}

/** A job's name, queue, id rule and schedule; its handler sits beside it in the same file. */
export class JobDefinition<D extends object> {
  readonly name: string;
  readonly queue: QueueName;
  readonly schedule?: JobSchedule;

  constructor(private readonly spec: JobSpec<D>) {
    this.name = spec.name;
    this.queue = spec.queue;
    this.schedule = spec.schedule;
  }

  id(data: D): string {
    return this.spec.id(data);
  }

  /** This job for `data`, optionally to run at `runAt`. */
  with(data: D, runAt: Date | null = null): PlannedJob {
    return { name: this.name, queue: this.queue, jobId: this.spec.id(data), data, runAt };
  }
}

const DEFINITIONS = new Map<string, JobDefinition<object>>();

/** Defines a job; two definitions with one name are a programming error caught at load. */
export function defineJob<D extends object>(spec: JobSpec<D>): JobDefinition<D> {
  if (DEFINITIONS.has(spec.name)) throw new Error(`Job ${spec.name} is defined twice`);
  const definition = new JobDefinition<D>(spec);
  DEFINITIONS.set(spec.name, definition);
  return definition;
}

/** Every job defined by the code loaded so far. */
export function definedJobs(): JobDefinition<object>[] {
  return [...DEFINITIONS.values()];
}
