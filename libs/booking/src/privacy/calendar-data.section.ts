import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DataSubject, PersonalDataSection } from '@app/core';
import { BusyCalendar, CalendarFeed } from '@app/database';

/**
 * Calendar settings: whether the subject has a feed (never its URL or token) and a doctor's
 * outside calendars. Erasure turns the feed off at once and drops the outside calendars.
 */
@Injectable()
export class CalendarDataSection implements PersonalDataSection {
  readonly name = 'calendars';

  async export(manager: EntityManager, subject: DataSubject) {
    const [feed, busy] = await Promise.all([
      manager.findOne(CalendarFeed, { where: { userId: subject.id } }),
      manager.find(BusyCalendar, { where: { doctorId: subject.id }, order: { position: 'ASC' } }),
    ]);
    return {
      data: {
        feed: feed ? { createdAt: feed.createdAt } : null,
        busyCalendars: busy.map((calendar) => ({
          url: calendar.url,
          lastFetchedAt: calendar.lastFetchedAt,
          lastError: calendar.lastError,
          busyCount: calendar.busyCount,
          createdAt: calendar.createdAt,
        })),
      },
    };
  }

  async erase(manager: EntityManager, subject: DataSubject): Promise<void> {
    await manager.delete(CalendarFeed, { userId: subject.id });
    // Its busy intervals go with it (ON DELETE CASCADE).
    await manager.delete(BusyCalendar, { doctorId: subject.id });
  }
}
