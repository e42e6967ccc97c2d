import { Injectable } from '@nestjs/common';
import { defineJob, JobHandler, QueueName } from '@app/queues';
import {
  BusyCalendarFetchFailed,
  FetchBusyCalendar,
  type FetchBusyCalendarInput,
} from '../calendars/fetch-busy-calendar.use-case';

export type BusyCalendarFetchData = FetchBusyCalendarInput;

/** One fetch of one outside calendar: recorded by the doctor's PUT and by the refresh schedule. */
export const busyCalendarFetchJob = defineJob<BusyCalendarFetchData>({
  name: 'booking.busy-calendar-fetch',
  queue: QueueName.Booking,
  // One job per request: a finished fetch's id would swallow the next one.
  id: ({ calendarId, requestedAt }) => `busy-calendar-fetch-${calendarId}-${requestedAt}`,
});

@Injectable()
export class BusyCalendarFetchHandler extends JobHandler<BusyCalendarFetchData> {
  readonly job = busyCalendarFetchJob;

  constructor(private readonly fetchCalendar: FetchBusyCalendar) {
    super();
  }

  /** A transient failure (5xx, timeout) throws so the queue tries again; its lastError is already kept. */
  async run(data: BusyCalendarFetchData): Promise<unknown> {
    const outcome = await this.fetchCalendar.execute(data);
    if (outcome.kind === 'failed' && outcome.retry)
      throw new BusyCalendarFetchFailed(outcome.error);
    return outcome;
  }
}
