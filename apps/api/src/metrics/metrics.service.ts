import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { WorkItems, WorkSummaryRow } from '@app/queues';
import { WebhookStats, WebhookStatsRow } from '@app/webhooks';

const TOTALS_NAMED_LIKE_COUNTERS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(work: WorkItems, webhooks: WebhookStats) {
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters (promtool refuses them); sum(nodejs_active_handles) and its
    // two siblings, by type, say the same.
    for (const name of TOTALS_NAMED_LIKE_COUNTERS) this.registry.removeSingleMetric(name);
    // Read from the work rows at scrape time: the truth whichever process did the work.
    // One query per scrape serves both gauges (the registry collects them concurrently).
    let scrape: { at: number; rows: Promise<WorkSummaryRow[]> } | undefined;
    const summary = () => {
      if (!scrape || Date.now() - scrape.at > 1000) {
        scrape = { at: Date.now(), rows: work.summary().catch(() => []) };
      }
      return scrape.rows;
    };
    const gauge = (name: string, help: string, pick: (row: WorkSummaryRow) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['kind', 'type'] as const,
        registers: [this.registry],
        async collect() {
          const rows = await summary();
          this.reset();
          for (const row of rows) this.set({ kind: row.kind, type: row.type }, pick(row));
        },
      });
    gauge(
      'work_failed',
      'Background work marked failed after its deadline, by kind and type (alert when > 0)',
      (row) => row.failed,
    );
    gauge(
      'work_overdue',
      'Background work due longer than its queue tries take and still not done (alert when > 0)',
      (row) => row.overdue,
    );
    this.webhookGauges(webhooks);
  }

  private webhookGauges(webhooks: WebhookStats): void {
    let scrape: { at: number; row: Promise<WebhookStatsRow | null> } | undefined;
    const summary = () => {
      if (!scrape || Date.now() - scrape.at > 1000) {
        scrape = { at: Date.now(), row: webhooks.summary().catch(() => null) };
      }
      return scrape.row;
    };
    const gauge = (name: string, help: string, pick: (row: WebhookStatsRow) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          const row = await summary();
          if (row) this.set(pick(row));
        },
      });
    gauge(
      'webhook_deliveries_failed',
      'Webhook deliveries in the 30-day log that failed for good (alert when it grows)',
      (row) => row.failedDeliveries,
    );
    gauge(
      'webhook_deliveries_pending',
      'Webhook deliveries not yet delivered, first tries and retries',
      (row) => row.pendingDeliveries,
    );
    gauge(
      'webhook_deliveries_overdue',
      'Webhook deliveries waiting over 5 minutes for their first attempt (alert when > 0)',
      (row) => row.overdueDeliveries,
    );
    gauge(
      'webhook_endpoints_auto_disabled',
      'Webhook endpoints switched off for failing every delivery for WEBHOOK_RETRY_DAYS',
      (row) => row.disabledEndpoints,
    );
  }
}
