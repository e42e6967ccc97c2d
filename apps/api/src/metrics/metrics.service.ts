import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { WorkItems, WorkSummaryRow } from '@app/queues';

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

  constructor(work: WorkItems) {
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
  }
}
