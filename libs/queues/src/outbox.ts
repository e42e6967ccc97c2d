import type { EntityManager } from 'typeorm';
import { OutboxKind } from '@app/database';
import { aggregateOf, type DomainEvent } from './domain-events';
import type { PlannedJob } from './jobs/job-definition';

export const OUTBOX_CHANNEL = 'outbox_events';

/**
 * Records domain events in the caller's transaction: they exist exactly when the change
 * commits, and the worker's relay delivers them even if Redis was down at the time.
 */
export function recordEvents(manager: EntityManager, events: DomainEvent[]): Promise<string[]> {
  return recordWork(manager, { events });
}

/**
 * Records jobs in the caller's transaction: the use case that decides work must happen
 * later says so here, and the relay adds each as that job once the change commits.
 */
export function recordJobs(manager: EntityManager, jobs: PlannedJob[]): Promise<string[]> {
  return recordWork(manager, { jobs });
}

/** Events and jobs of one change in one insert (a booking's hot path). */
export async function recordWork(
  manager: EntityManager,
  work: { events?: DomainEvent[]; jobs?: PlannedJob[] },
): Promise<string[]> {
  const { events = [], jobs = [] } = work;
  if (events.length + jobs.length === 0) return [];
  const rows: OutboxRow[] = [
    ...events.map((event) => {
      const aggregate = aggregateOf(event);
      return {
        kind: OutboxKind.Event,
        type: event.type,
        aggregate_type: aggregate.type,
        aggregate_id: aggregate.id,
        payload: event.payload,
        job_id: null,
        run_at: null,
      };
    }),
    ...jobs.map((job) => ({
      kind: OutboxKind.Job,
      type: job.name,
      aggregate_type: job.queue,
      aggregate_id: null,
      payload: job.data,
      job_id: job.jobId,
      run_at: job.runAt ? job.runAt.toISOString() : null,
    })),
  ];
  // One round trip; notifications on one channel are delivered once per transaction, at commit,
  // waking the relay at once instead of at its next poll.
  const saved: { id: string }[] = await manager.query(
    `WITH saved AS (
       INSERT INTO outbox_events (kind, type, aggregate_type, aggregate_id, payload, job_id, run_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(kind outbox_kind, type text,
         aggregate_type text, aggregate_id uuid, payload jsonb, job_id text, run_at timestamptz)
       RETURNING id
     )
     SELECT id, pg_notify($2, '') FROM saved`,
    [JSON.stringify(rows), OUTBOX_CHANNEL],
  );
  return saved.map((row) => row.id);
}

interface OutboxRow {
  kind: OutboxKind;
  type: string;
  aggregate_type: string;
  aggregate_id: string | null;
  payload: object;
  job_id: string | null;
  run_at: string | null;
}
