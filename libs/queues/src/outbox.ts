import type { EntityManager } from 'typeorm';
import { OutboxEvent, OutboxKind } from '@app/database';
import { aggregateOf, type DomainEvent } from './domain-events';
import type { PlannedJob } from './jobs/job-definition';

export const OUTBOX_CHANNEL = 'outbox_events';

/**
 * Records domain events in the caller's transaction: they exist exactly when the change
 * commits, and the worker's relay delivers them even if Redis was down at the time.
 */
export async function recordEvents(
  manager: EntityManager,
  events: DomainEvent[],
): Promise<string[]> {
  if (events.length === 0) return [];
  return insert(
    manager,
    events.map((event) => {
      const aggregate = aggregateOf(event);
      return {
        kind: OutboxKind.Event,
        type: event.type,
        aggregateType: aggregate.type,
        aggregateId: aggregate.id,
        payload: event.payload,
      };
    }),
  );
}

/**
 * Records jobs in the caller's transaction: the use case that decides work must happen
 * later says so here, and the relay adds each as that job once the change commits.
 */
export async function recordJobs(manager: EntityManager, jobs: PlannedJob[]): Promise<string[]> {
  if (jobs.length === 0) return [];
  return insert(
    manager,
    jobs.map((job) => ({
      kind: OutboxKind.Job,
      type: job.name,
      aggregateType: job.queue,
      aggregateId: null,
      payload: job.data,
      jobId: job.jobId,
      runAt: job.runAt,
    })),
  );
}

async function insert(manager: EntityManager, rows: Partial<OutboxEvent>[]): Promise<string[]> {
  const saved = await manager
    .createQueryBuilder()
    .insert()
    .into(OutboxEvent)
    .values(rows)
    .returning('id')
    .execute();
  // Delivered at commit: wakes the relay at once instead of at its next poll.
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  return saved.identifiers.map((identifier) => String(identifier.id));
}
