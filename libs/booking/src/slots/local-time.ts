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

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
let formattedDay = NaN;
let formattedDayPrefix = '';

/**
 * Epoch milliseconds → exactly what `Date.prototype.toISOString()` writes, about four times
 * faster for runs of nearby instants (a month of slots): the date part is kept from the
 * previous call. Serializing Date objects was the largest cost of a 31-day slot answer.
 */
export function formatInstant(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== formattedDay) {
    const iso = new Date(day * DAY_MS).toISOString();
    formattedDayPrefix = iso.slice(0, iso.indexOf('T') + 1);
    formattedDay = day;
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / MINUTE_MS);
  rest -= minutes * MINUTE_MS;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const pad = millis < 10 ? '00' : millis < 100 ? '0' : '';
  return `${formattedDayPrefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${pad}${millis}Z`;
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
