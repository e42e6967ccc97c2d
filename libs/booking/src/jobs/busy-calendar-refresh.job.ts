import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { defineJob, JobHandler, QueueName, recordJobs } from '@app/queues';
import { busyCalendarFetchJob } from './busy-calendar-fetch.job';

/**
 * Every BUSY_CALENDAR_REFRESH_MINUTES, across all workers: records one fetch job per outside
 * calendar, so each fetch is durable work of its own (retries, the sweeper).
 */
export const busyCalendarRefreshJob = defineJob<Record<string, never>>({
  name: 'booking.busy-calendar-refresh',
  queue: QueueName.Booking,
  id: () => 'busy-calendar-refresh',
  schedule: {
    id: 'busy-calendar-refresh',
    everyMs: (config) => config.calendars.busyRefreshMinutes * 60_000,
  },
});

@Injectable()
export class BusyCalendarRefreshHandler extends JobHandler<Record<string, never>> {
  readonly job = busyCalendarRefreshJob;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async run(): Promise<number> {
    return this.db.transaction(async (manager) => {
      const rows: { id: string }[] = await manager.query(`SELECT id FROM busy_calendars`);
      const requestedAt = Date.now();
      await recordJobs(
        manager,
        rows.map((row) => busyCalendarFetchJob.with({ calendarId: row.id, requestedAt })),
      );
      return rows.length;
    });
  }
}
