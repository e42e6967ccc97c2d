import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { OutboxEvent, OutboxKind, WorkState } from '@app/database';
import { queueBudgetSeconds } from '../job-options';
import { OUTBOX_CHANNEL } from '../outbox';

export interface ClaimedWork {
  id: string;
  kind: OutboxKind;
  type: string;
  jobId: string | null;
  payload: object;
  runAt: Date | null;
  requeues: number;
  createdAt: Date;
}

export interface WorkSummaryRow {
  kind: OutboxKind;
  type: string;
  failed: number;
  overdue: number;
}

export interface WorkListFilter {
  state?: WorkState;
  type?: string;
  page: number;
  limit: number;
}

const MAX_RETRY_SECONDS = 6 * 3600;

/** The durable record of background work: the outbox rows and their states. */
@Injectable()
export class WorkItems {
  private readonly budgetSeconds: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {
    this.budgetSeconds = queueBudgetSeconds(config);
  }

  /** Locks the oldest committed work not yet in the queue (SKIP LOCKED: relays never share rows). */
  claimPending(manager: EntityManager, limit: number): Promise<ClaimedWork[]> {
    return this.claim(manager, 'o.state = :state', WorkState.Pending, 'o.createdAt', limit);
  }

  /** In the queue now: the sweeper checks on it once every try had its chance. */
  async markQueued(manager: EntityManager, items: { id: string; jobId: string }[]): Promise<void> {
    if (items.length === 0) return;
    await manager.query(
      `UPDATE outbox_events o SET state = $3, job_id = i.job_id, published_at = now(),
         attempts = o.attempts + 1,
         next_attempt_at = greatest(now(), coalesce(o.run_at, now())) + make_interval(secs => $4)
       FROM unnest($1::uuid[], $2::text[]) AS i(id, job_id) WHERE o.id = i.id`,
      [items.map((i) => i.id), items.map((i) => i.jobId), WorkState.Queued, this.budgetSeconds],
    );
  }

  /** Rows naming a job this code does not define: nothing could ever run them. */
  async markUnknown(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(
      `UPDATE outbox_events SET state = $2, failed_at = now(), last_error = 'no such job'
        WHERE id = ANY($1)`,
      [ids, WorkState.Failed],
    );
  }

  async markDone(jobId: string): Promise<void> {
    await this.db.query(
      `UPDATE outbox_events SET state = $2, completed_at = now(), last_error = NULL
        WHERE job_id = $1 AND state IN ($3, $4)`,
      [jobId, WorkState.Done, WorkState.Queued, WorkState.Pending],
    );
  }

  /**
   * An event's dispatch is done. By row id, not job id: a fast worker can finish the job
   * before the relay that queued it commits the job id; this update waits for that commit.
   */
  async markEventDone(eventId: string): Promise<void> {
    await this.db.query(
      `UPDATE outbox_events SET state = $2, completed_at = now(), last_error = NULL
        WHERE id = $1 AND state IN ($3, $4)`,
      [eventId, WorkState.Done, WorkState.Queued, WorkState.Pending],
    );
  }

  /** A try failed; after the last one the sweeper takes over once the retry delay passed. */
  async recordFailure(jobId: string, error: string, lastTry: boolean): Promise<void> {
    await this.db.query(
      `UPDATE outbox_events SET last_error = left($2, 1000),
         next_attempt_at = CASE WHEN $3 THEN now() + make_interval(secs => least($4 * power(2, requeues), $5))
                                ELSE next_attempt_at END
        WHERE job_id = $1 AND state = $6`,
      [jobId, error, lastTry, this.config.work.retrySeconds, MAX_RETRY_SECONDS, WorkState.Queued],
    );
  }

  /** Queued work whose check-up time has come, locked for this sweep. */
  claimDue(manager: EntityManager, limit: number): Promise<ClaimedWork[]> {
    const where = 'o.state = :state AND o.nextAttemptAt <= now()';
    return this.claim(manager, where, WorkState.Queued, 'o.nextAttemptAt', limit);
  }

  private claim(
    manager: EntityManager,
    where: string,
    state: WorkState,
    orderBy: string,
    limit: number,
  ): Promise<ClaimedWork[]> {
    return manager
      .getRepository(OutboxEvent)
      .createQueryBuilder('o')
      .select(['o.id', 'o.kind', 'o.type', 'o.jobId', 'o.payload', 'o.runAt', 'o.requeues'])
      .addSelect('o.createdAt')
      .where(where, { state })
      .orderBy(orderBy)
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  isPastDeadline(item: ClaimedWork, now = Date.now()): boolean {
    const from = (item.runAt ?? item.createdAt).getTime();
    return now - from >= this.config.work.deadlineSeconds * 1000;
  }

  async settle(manager: EntityManager, id: string, state: WorkState.Done | WorkState.Failed) {
    await manager.update(
      OutboxEvent,
      { id },
      state === WorkState.Done
        ? { state, completedAt: new Date() }
        : { state, failedAt: new Date(), nextAttemptAt: null },
    );
  }

  /** Still waiting or running in the queue: look again later. */
  async postpone(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE outbox_events SET next_attempt_at = now() + make_interval(secs => $2) WHERE id = $1`,
      [id, this.config.work.retrySeconds],
    );
  }

  /** Back to the relay for a fresh round of tries. */
  async requeue(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE outbox_events SET state = $2, requeues = requeues + 1, next_attempt_at = NULL WHERE id = $1`,
      [id, WorkState.Pending],
    );
    await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  }

  /** Drops secret payload fields (raw tokens) once nothing needs them. */
  async scrub(id: string, fields: string[]): Promise<void> {
    await this.db.query(`UPDATE outbox_events SET payload = payload - $2::text[] WHERE id = $1`, [
      id,
      fields,
    ]);
  }

  /** Work that is no longer wanted, e.g. reminders of an appointment that was cancelled. */
  async cancel(manager: EntityManager, jobIds: string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await manager.query(
      `UPDATE outbox_events SET state = $2, next_attempt_at = NULL
        WHERE job_id = ANY($1) AND state IN ($3, $4)`,
      [jobIds, WorkState.Cancelled, WorkState.Pending, WorkState.Queued],
    );
  }

  /** Failed and overdue work by kind, for alerts; overdue = due over a sweep-and-budget ago. */
  async summary(): Promise<WorkSummaryRow[]> {
    const rows: { kind: OutboxKind; type: string; failed: string; overdue: string }[] =
      await this.db.query(
        `SELECT kind, type,
            count(*) FILTER (WHERE state = $1) AS failed,
            count(*) FILTER (WHERE state IN ($2, $3)
              AND coalesce(run_at, created_at) < now() - make_interval(secs => $4)) AS overdue
          FROM outbox_events WHERE state IN ($1, $2, $3) GROUP BY kind, type`,
        [WorkState.Failed, WorkState.Pending, WorkState.Queued, this.overdueAfterSeconds()],
      );
    return rows.map((r) => ({
      kind: r.kind,
      type: r.type,
      failed: Number(r.failed),
      overdue: Number(r.overdue),
    }));
  }

  async list(filter: WorkListFilter): Promise<{ items: OutboxEvent[]; total: number }> {
    const query = this.db
      .getRepository(OutboxEvent)
      .createQueryBuilder('o')
      .orderBy('o.createdAt', 'DESC')
      .skip((filter.page - 1) * filter.limit)
      .take(filter.limit);
    if (filter.state) query.andWhere('o.state = :state', { state: filter.state });
    if (filter.type) query.andWhere('o.type = :type', { type: filter.type });
    const [items, total] = await query.getManyAndCount();
    return { items, total };
  }

  /** An admin sends failed work round again, with a fresh deadline. */
  async retryFailed(id: string): Promise<OutboxEvent | null> {
    return this.db.transaction(async (manager) => {
      const repo = manager.getRepository(OutboxEvent);
      const item = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!item) return null;
      if (item.state !== WorkState.Failed) return item;
      await repo.update(
        { id },
        {
          state: WorkState.Pending,
          failedAt: null,
          runAt: new Date(),
          nextAttemptAt: null,
          requeues: item.requeues + 1,
        },
      );
      await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
      return repo.findOneByOrFail({ id });
    });
  }

  private overdueAfterSeconds(): number {
    return this.budgetSeconds + 2 * this.config.work.sweepSeconds;
  }
}
