import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WebhookDeliveryStatus } from '@app/database';

export interface WebhookStatsRow {
  failedDeliveries: number;
  pendingDeliveries: number;
  overdueDeliveries: number;
  disabledEndpoints: number;
}

/** Figures for /metrics, read from the rows at scrape time (the worker has no /metrics). */
@Injectable()
export class WebhookStats {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async summary(): Promise<WebhookStatsRow> {
    const [row]: Record<keyof WebhookStatsRow, string>[] = await this.db.query(
      `SELECT
         (SELECT count(*) FROM webhook_deliveries WHERE status = $1) AS "failedDeliveries",
         (SELECT count(*) FROM webhook_deliveries WHERE status = $2) AS "pendingDeliveries",
         (SELECT count(*) FROM webhook_deliveries
           WHERE status = $2 AND next_attempt_at IS NULL AND created_at < now() - interval '5 minutes')
           AS "overdueDeliveries",
         (SELECT count(*) FROM webhook_endpoints WHERE auto_disabled_at IS NOT NULL AND NOT enabled)
           AS "disabledEndpoints"`,
      [WebhookDeliveryStatus.Failed, WebhookDeliveryStatus.Pending],
    );
    return {
      failedDeliveries: Number(row.failedDeliveries),
      pendingDeliveries: Number(row.pendingDeliveries),
      overdueDeliveries: Number(row.overdueDeliveries),
      disabledEndpoints: Number(row.disabledEndpoints),
    };
  }
}
