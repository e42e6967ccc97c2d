import { DateTime } from 'luxon';

/** "Monday 1 March 2027, 09:00 (EST)" in the reader's own zone. */
export function formatWhen(instant: Date | string, zone: string): string {
  const value =
    typeof instant === 'string' ? DateTime.fromISO(instant) : DateTime.fromJSDate(instant);
  const local = value.setZone(zone);
  return (local.isValid ? local : value.setZone('UTC')).toFormat(
    "cccc d LLLL yyyy, HH:mm '('ZZZZ')'",
  );
}
