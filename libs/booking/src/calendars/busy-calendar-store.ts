import type { EntityManager } from 'typeorm';
import { EventType, recordEvents } from '@app/queues';
import type { Interval } from '../slots/slot-engine';

/** The future span of intervals that are gone, announced so waitlisted patients hear of it. */
export async function recordFreed(
  manager: EntityManager,
  doctorId: string,
  gone: Interval[],
  now = new Date(),
): Promise<void> {
  const future = gone.filter((interval) => interval.end > now);
  if (future.length === 0) return;
  const start = Math.max(now.getTime(), Math.min(...future.map((i) => i.start.getTime())));
  const end = Math.max(...future.map((i) => i.end.getTime()));
  await recordEvents(manager, [
    {
      type: EventType.SlotFreed,
      payload: {
        doctorId,
        startsAt: new Date(start).toISOString(),
        endsAt: new Date(end).toISOString(),
      },
    },
  ]);
}

/** The stored intervals of some calendars, by start. */
export async function storedIntervals(
  manager: EntityManager,
  calendarIds: string[],
): Promise<Interval[]> {
  if (calendarIds.length === 0) return [];
  const rows: { startsAt: Date; endsAt: Date }[] = await manager.query(
    `SELECT starts_at AS "startsAt", ends_at AS "endsAt" FROM busy_intervals
      WHERE calendar_id = ANY($1) ORDER BY starts_at`,
    [calendarIds],
  );
  return rows.map((row) => ({ start: row.startsAt, end: row.endsAt }));
}

/** Replaces a calendar's intervals with a new set in one statement each. */
export async function replaceIntervals(
  manager: EntityManager,
  calendar: { id: string; doctorId: string },
  intervals: Interval[],
): Promise<void> {
  await manager.query(`DELETE FROM busy_intervals WHERE calendar_id = $1`, [calendar.id]);
  if (intervals.length === 0) return;
  await manager.query(
    `INSERT INTO busy_intervals (calendar_id, doctor_id, starts_at, ends_at)
     SELECT $1, $2, s, e FROM unnest($3::timestamptz[], $4::timestamptz[]) AS t(s, e)`,
    [
      calendar.id,
      calendar.doctorId,
      intervals.map((i) => i.start.toISOString()),
      intervals.map((i) => i.end.toISOString()),
    ],
  );
}
