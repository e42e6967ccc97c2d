import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WorkState } from '@app/database';
import { defineJob, JobHandler, QueueName } from '@app/queues';

const RETENTION = {
  outboxDays: 7,
  tokenDays: 7,
};

/** Hourly across all workers. */
export const purgeJob = defineJob<Record<string, never>>({
  name: 'maintenance.purge',
  queue: QueueName.Maintenance,
  id: () => 'purge',
  schedule: { id: 'purge-hourly', everyMs: () => 3_600_000 },
});

/** Deletes what has outlived its use: finished work, expired keys and tokens. */
@Injectable()
export class PurgeHandler extends JobHandler<Record<string, never>> {
  readonly job = purgeJob;
  private readonly logger = new Logger(PurgeHandler.name);

  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async run(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    const run = async (name: string, sql: string, params: unknown[]) => {
      const result: [unknown[], number] = await this.db.query(sql, params);
      counts[name] = result[1] ?? 0;
    };
    // Failed work stays until a person has dealt with it.
    await run(
      'outboxEvents',
      `DELETE FROM outbox_events WHERE state IN ($2, $3)
        AND coalesce(completed_at, published_at, created_at) < now() - make_interval(days => $1)`,
      [RETENTION.outboxDays, WorkState.Done, WorkState.Cancelled],
    );
    await run('idempotencyKeys', 'DELETE FROM idempotency_keys WHERE expires_at < now()', []);
    await run(
      'oneTimeTokens',
      `DELETE FROM one_time_tokens WHERE expires_at < now() - make_interval(days => $1)`,
      [RETENTION.tokenDays],
    );
    await run(
      'refreshTokens',
      `DELETE FROM refresh_tokens WHERE expires_at < now() - make_interval(days => $1)`,
      [RETENTION.tokenDays],
    );
    this.logger.log({ msg: 'Purged', ...counts });
    return counts;
  }
}
