import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WebhookDeliveryStatus } from '@app/database';
import { defineJob, JobHandler, QueueName } from '@app/queues';

/** How long the delivery log is kept. */
export const DELIVERY_LOG_DAYS = 30;

export const webhookPurgeJob = defineJob<Record<string, never>>({
  name: 'webhook.purge',
  queue: QueueName.Maintenance,
  id: () => 'webhook-purge',
  schedule: { id: 'webhook-purge-hourly', everyMs: () => 3_600_000 },
});

/** Deletes deliveries older than 30 days, except those still being retried. */
@Injectable()
export class WebhookPurgeHandler extends JobHandler<Record<string, never>> {
  readonly job = webhookPurgeJob;
  private readonly logger = new Logger(WebhookPurgeHandler.name);

  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async run(): Promise<number> {
    const [, deleted]: [unknown[], number] = await this.db.query(
      `DELETE FROM webhook_deliveries
        WHERE created_at < now() - make_interval(days => $1) AND status <> $2`,
      [DELIVERY_LOG_DAYS, WebhookDeliveryStatus.Pending],
    );
    if (deleted > 0) this.logger.log({ msg: 'Webhook deliveries purged', deleted });
    return deleted;
  }
}
