import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboundError, outboundFetch, type OutboundPolicy } from '@app/common';
import { AppConfig } from '@app/config';
import { BusyCalendar } from '@app/database';
import { lockDoctorSchedule, ScheduleLock } from '../availability/doctor-schedule-lock';
import { DAY_MS, MINUTE_MS } from '../slots/local-time';
import type { Interval } from '../slots/slot-engine';
import { CalendarParseError, parseBusyIntervals } from './busy-calendar-parser';
import { recordFreed, replaceIntervals, storedIntervals } from './busy-calendar-store';

export interface FetchBusyCalendarInput {
  calendarId: string;
  /** When the fetch was asked for (epoch ms): a newer one supersedes it. */
  requestedAt: number;
}

/** What a fetch came to; a failure keeps the intervals of the last good fetch. */
export type FetchOutcome =
  | { kind: 'stored'; busyCount: number }
  | { kind: 'failed'; error: string; retry: boolean }
  | { kind: 'skipped' };

/** Thrown to have the queue try a transient failure again (a 5xx, a timeout). */
export class BusyCalendarFetchFailed extends Error {}

/** Refusals and limits of the outbound helper: asking again gives the same answer. */
const PERMANENT =
  /^(refused|not a valid URL|\w+ URLs are not allowed|URLs with credentials|more than \d+ redirects|the answer is larger)/;

const CALENDAR_SQL = `
  SELECT c.id, c.doctor_id AS "doctorId", c.url, c.last_fetched_at AS "lastFetchedAt", p.timezone
    FROM busy_calendars c JOIN doctor_profiles p ON p.user_id = c.doctor_id
   WHERE c.id = $1`;

/**
 * Fetches one outside calendar through the outbound helper (DNS-checked, 10 s, 5 MB, 3
 * redirects), reads its busy intervals for the booking horizon and stores them in place of
 * the previous set. Any failure is kept as the calendar's `lastError`, the previous
 * intervals stay in force.
 */
@Injectable()
export class FetchBusyCalendar {
  private readonly logger = new Logger(FetchBusyCalendar.name);
  private readonly policy: OutboundPolicy;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {
    this.policy = { allowPrivate: config.outbound.allowPrivate };
  }

  async execute(input: FetchBusyCalendarInput): Promise<FetchOutcome> {
    const [calendar]: {
      id: string;
      doctorId: string;
      url: string;
      lastFetchedAt: Date | null;
      timezone: string;
    }[] = await this.db.query(CALENDAR_SQL, [input.calendarId]);
    // Removed since, or a later fetch already succeeded.
    if (
      !calendar ||
      (calendar.lastFetchedAt && calendar.lastFetchedAt.getTime() > input.requestedAt)
    )
      return { kind: 'skipped' };
    const now = new Date();
    const result = await this.read(calendar.url, {
      from: now,
      to: new Date(now.getTime() + (this.config.booking.horizonDays + 1) * DAY_MS),
      timezone: calendar.timezone,
    });
    if ('error' in result) {
      await this.db
        .getRepository(BusyCalendar)
        .update(
          { id: calendar.id, url: calendar.url },
          { lastError: result.error, lastAttemptAt: now },
        );
      // Retried while it is the freshest request; after that the schedule's next fetch takes over.
      const fresh =
        Date.now() - input.requestedAt < this.config.calendars.busyRefreshMinutes * MINUTE_MS;
      return { kind: 'failed', error: result.error, retry: result.transient && fresh };
    }
    return this.store(calendar, result.intervals, now);
  }

  private async read(
    url: string,
    window: { from: Date; to: Date; timezone: string },
  ): Promise<{ intervals: Interval[] } | { error: string; transient: boolean }> {
    let response;
    try {
      response = await outboundFetch(url, this.policy, {
        headers: { Accept: 'text/calendar, text/plain;q=0.5, */*;q=0.1' },
      });
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      return { error: error.message, transient: !PERMANENT.test(error.message) };
    }
    if (response.status < 200 || response.status >= 300) {
      return {
        error: `the calendar server answered HTTP ${response.status}`,
        transient: response.status >= 500 || response.status === 429,
      };
    }
    try {
      return { intervals: parseBusyIntervals(response.body.toString('utf8'), window) };
    } catch (error) {
      if (error instanceof CalendarParseError) return { error: error.message, transient: false };
      this.logger.warn(`Busy calendar not readable: ${(error as Error).message}`);
      return { error: 'the calendar could not be read', transient: false };
    }
  }

  private store(
    calendar: { id: string; doctorId: string; url: string },
    intervals: Interval[],
    now: Date,
  ): Promise<FetchOutcome> {
    return this.db.transaction(async (manager) => {
      await lockDoctorSchedule(manager, calendar.doctorId, ScheduleLock.Change);
      const repo = manager.getRepository(BusyCalendar);
      const current = await repo.findOne({
        where: { id: calendar.id },
        lock: { mode: 'pessimistic_write' },
      });
      // The doctor removed or replaced the URL while it was being fetched.
      if (!current || current.url !== calendar.url) return { kind: 'skipped' } as const;
      const before = await storedIntervals(manager, [calendar.id]);
      const kept = new Set(intervals.map(key));
      await replaceIntervals(manager, calendar, intervals);
      await recordFreed(
        manager,
        calendar.doctorId,
        before.filter((interval) => !kept.has(key(interval))),
        now,
      );
      await repo.update(
        { id: calendar.id },
        { lastFetchedAt: now, lastAttemptAt: now, lastError: null, busyCount: intervals.length },
      );
      return { kind: 'stored', busyCount: intervals.length } as const;
    });
  }
}

function key(interval: Interval): string {
  return `${interval.start.getTime()}-${interval.end.getTime()}`;
}
