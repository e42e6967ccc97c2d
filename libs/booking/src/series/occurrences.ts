import { DateTime } from 'luxon';

/** How a series repeats: every `every` weeks, `count` visits in all. */
export interface SeriesRepeat {
  every: number;
  unit: 'week';
  count: number;
}

export const SERIES_LIMITS = { every: { min: 1, max: 4 }, count: { min: 2, max: 26 } } as const;

/**
 * The starts of a series: the first one, then the same local wall-clock time in `timezone`
 * every `every` weeks, so the UTC instant moves at a daylight-saving change and the local time
 * does not. A local time that does not exist on some date (inside a spring-forward gap) comes
 * out shifted by the gap, as luxon resolves it; such a start is no slot and is refused there.
 */
export function seriesOccurrences(first: Date, repeat: SeriesRepeat, timezone: string): Date[] {
  const start = DateTime.fromJSDate(first, { zone: timezone });
  if (!start.isValid) throw new RangeError(`Invalid start or time zone ${timezone}`);
  return Array.from({ length: repeat.count }, (_, index) =>
    start.plus({ weeks: index * repeat.every }).toJSDate(),
  );
}

/** Whether one occurrence lies in the bookable window: after min notice, before the horizon. */
export function inBookingWindow(
  start: Date,
  now: Date,
  window: { minNoticeMinutes: number; horizonDays: number },
): boolean {
  const at = start.getTime();
  return (
    at >= now.getTime() + window.minNoticeMinutes * 60_000 &&
    at <= now.getTime() + window.horizonDays * 86_400_000
  );
}
