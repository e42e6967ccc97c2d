import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobHandler, JobName, JobProducer, QueueName } from '@app/queues';

const RETENTION = {
  outboxDays: 7,
  tokenDays: 7,
};

/** Deletes what has outlived its use: relayed events, expired keys and tokens. */
@Injectable()
export class PurgeHandler implements OnApplicationBootstrap {
  private readonly logger = new Logger(PurgeHandler.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly producer: JobProducer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A job scheduler exists once in Redis however many workers start: it runs once per hour.
    await this.producer
      .queue(QueueName.Maintenance)
      .upsertJobScheduler('purge-hourly', { every: 3_600_000 }, { name: JobName.Purge, data: {} })
      .catch((error: Error) => this.logger.warn(`Purge schedule not set: ${error.message}`));
  }

  @JobHandler(JobName.Purge)
  async purge(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    const run = async (name: string, sql: string, params: unknown[]) => {
      const result: [unknown[], number] = await this.db.query(sql, params);
      counts[name] = result[1] ?? 0;
    };
    await run(
      'outboxEvents',
      `DELETE FROM outbox_events WHERE published_at < now() - make_interval(days => $1)`,
      [RETENTION.outboxDays],
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
