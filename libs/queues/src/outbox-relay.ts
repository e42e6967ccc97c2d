import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { OutboxKind } from '@app/database';
import { eventDispatchJob } from './events/event-dispatch.job';
import { JobProducer } from './job-producer';
import { definedJobs, type PlannedJob } from './jobs';
import { OUTBOX_CHANNEL } from './outbox';
import { ClaimedWork, WorkItems } from './work/work-items';

const BATCH = 500;
const POLL_MS = 1000;
const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * Moves committed outbox rows into the queues: an event becomes its dispatch job, a
 * recorded job becomes that job. Rows are claimed with FOR UPDATE SKIP LOCKED, so any
 * number of workers can relay without doubling work; job ids are deterministic, so a
 * retried batch enqueues nothing twice.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private listener?: Client;
  private failing = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly producer: JobProducer,
    private readonly config: AppConfig,
    private readonly work: WorkItems,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    void this.listen();
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
  }

  /** Relays one batch; returns how many rows it moved. */
  async relayBatch(limit = BATCH): Promise<number> {
    return this.db.transaction(async (manager) => {
      const rows = await this.work.claimPending(manager, limit);
      if (rows.length === 0) return 0;
      const jobs = rows.map(plannedJobOf);
      // Work sent round again may still have its failed job in Redis, which would swallow the add.
      const planned = jobs.filter((job) => job !== null);
      const again = rows.flatMap((row, i) => {
        const job = jobs[i];
        return job && row.requeues > 0 ? [job] : [];
      });
      if (again.length > 0) await this.producer.removeFailed(again);
      const enqueue = this.producer.addPlanned(planned);
      await withTimeout(enqueue, ENQUEUE_TIMEOUT_MS, 'enqueue to Redis');
      await this.work.markQueued(
        manager,
        rows.flatMap((row, i) => (jobs[i] ? [{ id: row.id, jobId: jobs[i].jobId }] : [])),
      );
      await this.work.markUnknown(
        manager,
        rows.filter((_, i) => !jobs[i]).map((row) => row.id),
      );
      return rows.length;
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      let moved = 0;
      try {
        moved = await this.relayBatch();
        if (this.failing) this.logger.log('Outbox relay recovered');
        this.failing = false;
      } catch (error) {
        if (!this.failing) {
          this.logger.warn(
            `Outbox relay paused: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        this.failing = true;
      }
      if (moved < BATCH) await this.sleep(POLL_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** LISTEN for commits that wrote events, so relaying does not wait for the next poll. */
  private async listen(): Promise<void> {
    while (this.running) {
      const client = new Client({ connectionString: this.config.database.url });
      try {
        await client.connect();
        this.listener = client;
        client.on('notification', () => this.wake?.());
        await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
        await new Promise<void>((resolve) => {
          client.on('error', () => resolve());
          client.on('end', () => resolve());
        });
      } catch {
        // Polling still relays; retry the listener shortly.
      }
      await client.end().catch(() => undefined);
      if (this.running) await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

/** The queue job for a row; null for a job this code no longer defines (the sweeper fails it). */
function plannedJobOf(row: ClaimedWork): PlannedJob | null {
  if (row.kind === OutboxKind.Event) return eventDispatchJob.with({ eventId: row.id });
  const definition = definedJobs().find((job) => job.name === row.type);
  if (!definition || !row.jobId) return null;
  return {
    name: definition.name,
    queue: definition.queue,
    jobId: row.jobId,
    data: row.payload,
    runAt: row.runAt,
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
