import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ValidationError } from '@app/common';
import { BusyCalendar } from '@app/database';
import { recordJobs } from '@app/queues';
import { lockDoctorSchedule, ScheduleLock } from '../availability/doctor-schedule-lock';
import { busyCalendarFetchJob } from '../jobs/busy-calendar-fetch.job';
import { recordFreed, storedIntervals } from './busy-calendar-store';

/** A doctor may block slots with this many outside calendars. */
export const MAX_BUSY_CALENDARS = 5;

export interface BusyCalendarView {
  url: string;
  lastFetchedAt: Date | null;
  lastError: string | null;
  busyCount: number;
}

/**
 * A doctor's outside calendars (iCalendar URLs). Replacing the list drops the intervals of
 * the URLs left out at once and has the worker fetch every listed one right after.
 */
@Injectable()
export class BusyCalendarsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(doctorId: string): Promise<BusyCalendarView[]> {
    const rows = await this.db
      .getRepository(BusyCalendar)
      .find({ where: { doctorId }, order: { position: 'ASC' } });
    return rows.map(toView);
  }

  async replace(doctorId: string, urls: string[]): Promise<BusyCalendarView[]> {
    const wanted = validateUrls(urls);
    return this.db.transaction(async (manager) => {
      // Freeing or blocking time is a schedule change: bookings in flight finish first.
      await lockDoctorSchedule(manager, doctorId, ScheduleLock.Change);
      const repo = manager.getRepository(BusyCalendar);
      const existing = await repo.find({ where: { doctorId } });
      const dropped = existing.filter((calendar) => !wanted.includes(calendar.url));
      if (dropped.length > 0) {
        const ids = dropped.map((calendar) => calendar.id);
        await recordFreed(manager, doctorId, await storedIntervals(manager, ids));
        await repo.delete(ids);
      }
      const kept: BusyCalendar[] = [];
      for (const [position, url] of wanted.entries()) {
        const calendar = existing.find((c) => c.url === url) ?? repo.create({ doctorId, url });
        calendar.position = position;
        kept.push(await repo.save(calendar));
      }
      const requestedAt = Date.now();
      await recordJobs(
        manager,
        kept.map((calendar) => busyCalendarFetchJob.with({ calendarId: calendar.id, requestedAt })),
      );
      return kept.map(toView);
    });
  }
}

function validateUrls(urls: string[]): string[] {
  const trimmed = urls.map((url) => url.trim());
  const errors = trimmed.flatMap((url, i) => {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      return [{ field: `urls.${i}`, message: 'must be an http or https URL' }];
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      return [{ field: `urls.${i}`, message: 'must be an http or https URL (webcal: use https)' }];
    if (trimmed.indexOf(url) !== i) return [{ field: `urls.${i}`, message: 'is listed twice' }];
    return [];
  });
  if (trimmed.length > MAX_BUSY_CALENDARS)
    errors.push({ field: 'urls', message: `at most ${MAX_BUSY_CALENDARS} calendars` });
  if (errors.length > 0) throw new ValidationError(errors.map((e) => e.message).join('; '), errors);
  return trimmed;
}

function toView(calendar: BusyCalendar): BusyCalendarView {
  return {
    url: calendar.url,
    lastFetchedAt: calendar.lastFetchedAt,
    lastError: calendar.lastError,
    busyCount: calendar.busyCount,
  };
}
