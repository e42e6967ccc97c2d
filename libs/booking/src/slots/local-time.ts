import { IANAZone } from 'luxon';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** True for an IANA zone name the runtime knows (`Europe/Berlin`, `UTC`); not for offsets. */
export function isValidTimeZone(name: string): boolean {
  return typeof name === 'string' && ZONE_NAME.test(name) && IANAZone.isValidZone(name);
}

/** 'YYYY-MM-DD' → days since 1970-01-01, or NaN when it is not a real calendar date. */
export function parseLocalDate(value: string): number {
  const match = DATE_PATTERN.exec(value);
  if (!match) return NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return NaN;
  }
  return ms / DAY_MS;
}

/** Days since 1970-01-01 → 'YYYY-MM-DD'. */
export function formatLocalDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/**
 * 'HH:MM' or 'HH:MM:SS' → milliseconds after local midnight, or NaN. '24:00' is accepted
 * (it closes a window at midnight); anything past it is not.
 */
export function parseTimeOfDay(value: string): number {
  const match = TIME_PATTERN.exec(value);
  if (!match) return NaN;
  const [hours, minutes, seconds] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (minutes > 59 || seconds > 59) return NaN;
  const ms = ((hours * 60 + minutes) * 60 + seconds) * 1000;
  return ms <= DAY_MS ? ms : NaN;
}

/** Milliseconds after local midnight → 'HH:MM' ('24:00' for the end of the day). */
export function formatTimeOfDay(ms: number): string {
  const minutes = Math.floor(ms / MINUTE_MS);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${hh}:${mm}`;
}
