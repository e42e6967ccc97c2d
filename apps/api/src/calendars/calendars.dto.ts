import { ArrayMaxSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';

export class CalendarFeedDto {
  /**
   * The secret feed URL to subscribe to; anyone who has it can read the feed, so rotate it
   * (POST again) if it leaks.
   * @example "https://api.example.com/calendar/0f3kX1M2d1H9mQ6cA8zYb4pW7nR5tL2sE0vJ3uK9gFo.ics"
   */
  url: string;

  createdAt: Date;
}

export class PutBusyCalendarsDto {
  /**
   * iCalendar URLs (http or https; for a `webcal://` link use `https://`), at most 5; the
   * list replaces the previous one, `[]` removes them all.
   * @example ["https://calendar.google.com/calendar/ical/dr.house%40example.com/private-abc/basic.ics"]
   */
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  @Matches(/^https?:\/\//i, { each: true, message: 'each URL must start with http:// or https://' })
  urls: string[];
}

export class BusyCalendarDto {
  /** @example "https://calendar.google.com/calendar/ical/dr.house%40example.com/private-abc/basic.ics" */
  url: string;

  /** The last fetch that succeeded (its busy times are the ones in force); null before the first. */
  lastFetchedAt: Date | null;

  /**
   * Why the last fetch failed, null after a success; the busy times of the last good fetch stay in force.
   * @example "refused: 10.0.0.1 is a private address"
   */
  lastError: string | null;

  /** Busy intervals (one per occurrence) stored for the booking horizon. */
  busyCount: number;
}
