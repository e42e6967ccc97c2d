import { DAY_MS, MINUTE_MS, parseLocalDate, parseTimeOfDay, weekdayOfDay } from './local-time';
import { ZoneClock } from './zone-clock';

/** A weekly window in the doctor's wall-clock time; 0 = Sunday … 6 = Saturday. */
export interface WeeklyRule {
  dayOfWeek: number;
  /** 'HH:MM' or 'HH:MM:SS'. */
  startTime: string;
  /** 'HH:MM' or 'HH:MM:SS'; '24:00' ends the window at midnight. */
  endTime: string;
}

export interface Interval {
  start: Date;
  end: Date;
}

export interface SlotQuery {
  rules: WeeklyRule[];
  /** The visit itself must not overlap these (time off). */
  timeOff: Interval[];
  /** Blocked ranges of other live appointments: the visit's blocked range must not overlap. */
  busy: Interval[];
  /** IANA zone of the doctor; rules and dates are read in it. */
  timezone: string;
  /** 'YYYY-MM-DD' in the doctor's zone, both inclusive. */
  fromDate: string;
  toDate: string;
  now: Date;
  minNoticeMinutes: number;
  horizonDays: number;
  /** Length of the visit. */
  durationMinutes: number;
  /** Distance between starts (the doctor's grid); defaults to the visit's length. */
  gridMinutes?: number;
  /** Kept free before and after the visit; may reach outside the rule window. */
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
}

/**
 * Free slots of a doctor, sorted and without duplicates. Pure: everything it needs comes in.
 *
 * - Each rule yields slot starts at its start time and every `gridMinutes` after it, in
 *   wall-clock time of each local date in [fromDate, toDate]; a slot (the visit) lasts
 *   exactly `durationMinutes` of real time.
 * - A rule window runs from the first instant the wall clock reads its start to the first
 *   instant it reads its end (or later: inside a skipped hour, the moment of the jump).
 *   A slot is offered only if the visit ends within that window.
 * - A wall-clock time the clock skips (spring forward) is not a slot start. A time it
 *   shows twice (fall back) is its first occurrence: the repeated hour is not offered again.
 * - Visits overlapping time off, slots whose blocked range (the visit widened by its
 *   buffers) overlaps a busy interval, slots starting before now + minimum notice, or
 *   starting after now + horizon are left out.
 */
export function computeFreeSlots(query: SlotQuery): Interval[] {
  return collectSlots(query, Number.POSITIVE_INFINITY);
}

/** The earliest free slot of `query`, or null; stops at the first one. */
export function firstFreeSlot(query: SlotQuery): Interval | null {
  return collectSlots(query, 1)[0] ?? null;
}

interface Window {
  start: number;
  end: number;
}

interface WeeklyWindows {
  byWeekday: Window[][];
  /** Weekdays whose rules overlap: their grids may interleave and repeat. */
  overlapping: boolean[];
}

function collectSlots(query: SlotQuery, limit: number): Interval[] {
  const { durationMinutes } = query;
  const gridMinutes = query.gridMinutes ?? durationMinutes;
  const bufferBefore = query.bufferBeforeMinutes ?? 0;
  const bufferAfter = query.bufferAfterMinutes ?? 0;
  for (const [name, value] of [
    ['durationMinutes', durationMinutes],
    ['gridMinutes', gridMinutes],
  ] as const) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new RangeError(`${name} must be a positive integer`);
    }
  }
  if (
    !Number.isInteger(bufferBefore) ||
    bufferBefore < 0 ||
    !Number.isInteger(bufferAfter) ||
    bufferAfter < 0
  ) {
    throw new RangeError('buffers must be non-negative integers');
  }
  const fromDay = parseLocalDate(query.fromDate);
  const toDay = parseLocalDate(query.toDate);
  if (Number.isNaN(fromDay) || Number.isNaN(toDay)) {
    throw new RangeError('fromDate and toDate must be YYYY-MM-DD calendar dates');
  }
  const now = query.now.getTime();
  if (Number.isNaN(now)) throw new RangeError('now must be a valid date');

  const step = gridMinutes * MINUTE_MS;
  const length = durationMinutes * MINUTE_MS;
  const before = bufferBefore * MINUTE_MS;
  const after = bufferAfter * MINUTE_MS;
  const earliest = now + query.minNoticeMinutes * MINUTE_MS;
  const latest = now + query.horizonDays * DAY_MS;
  // A local day lies within a day of the same UTC day: skip days that cannot qualify.
  const firstDay = Math.max(fromDay, Math.floor(earliest / DAY_MS) - 2);
  const lastDay = Math.min(toDay, Math.floor(latest / DAY_MS) + 2);
  const weekly = weeklyWindows(query.rules);
  if (firstDay > lastDay || weekly.byWeekday.every((windows) => windows.length === 0)) return [];

  const off = mergeIntervals(query.timeOff);
  const busy = mergeIntervals(query.busy);
  const clock = new ZoneClock(query.timezone, (firstDay - 1) * DAY_MS, (lastDay + 2) * DAY_MS);

  const starts: number[] = [];
  const dayStarts: number[] = [];
  let nextOff = 0;
  let nextBusy = 0;
  days: for (let day = firstDay; day <= lastDay; day++) {
    const weekday = weekdayOfDay(day);
    const windows = weekly.byWeekday[weekday];
    if (windows.length === 0) continue;
    const midnight = day * DAY_MS;
    dayStarts.length = 0;
    for (const window of windows) {
      windowStarts(clock, midnight + window.start, midnight + window.end, step, length, dayStarts);
    }
    if (weekly.overlapping[weekday]) sortUnique(dayStarts);
    for (const start of dayStarts) {
      if (start < earliest) continue;
      if (start > latest) break days;
      while (nextOff < off.ends.length && off.ends[nextOff] <= start) nextOff++;
      if (nextOff < off.ends.length && off.starts[nextOff] < start + length) continue;
      while (nextBusy < busy.ends.length && busy.ends[nextBusy] <= start - before) nextBusy++;
      if (nextBusy < busy.ends.length && busy.starts[nextBusy] < start + length + after) continue;
      starts.push(start);
      if (starts.length >= limit) break days;
    }
  }
  return starts.map((start) => ({ start: new Date(start), end: new Date(start + length) }));
}

/** Appends the slot starts (instants) of one local window whose visits fit in it, in order. */
function windowStarts(
  clock: ZoneClock,
  localStart: number,
  localEnd: number,
  step: number,
  length: number,
  out: number[],
): void {
  const period = clock.periodOf(localStart);
  if (period >= 0 && period === clock.periodOf(localEnd)) {
    // No offset change inside the window: plain arithmetic.
    const offset = clock.offsetOf(period);
    for (let local = localStart; local + length <= localEnd; local += step)
      out.push(local - offset);
    return;
  }
  const windowEnd = clock.reach(localEnd);
  for (let local = localStart; local < localEnd; local += step) {
    const start = clock.toInstant(local);
    if (Number.isNaN(start)) continue;
    if (start + length > windowEnd) break;
    out.push(start);
  }
}

function weeklyWindows(rules: WeeklyRule[]): WeeklyWindows {
  const byWeekday: Window[][] = [[], [], [], [], [], [], []];
  for (const rule of rules) {
    const start = parseTimeOfDay(rule.startTime);
    const end = parseTimeOfDay(rule.endTime);
    if (
      !Number.isInteger(rule.dayOfWeek) ||
      rule.dayOfWeek < 0 ||
      rule.dayOfWeek > 6 ||
      !(start < end)
    ) {
      throw new RangeError(
        `Invalid weekly rule ${rule.dayOfWeek} ${rule.startTime}-${rule.endTime}`,
      );
    }
    byWeekday[rule.dayOfWeek].push({ start, end });
  }
  const overlapping = byWeekday.map((windows) => {
    windows.sort((a, b) => a.start - b.start);
    return windows.some((window, i) => i > 0 && windows[i - 1].end > window.start);
  });
  return { byWeekday, overlapping };
}

/** Intervals as one sorted list of disjoint [start, end) ranges. */
function mergeIntervals(list: Interval[]): { starts: number[]; ends: number[] } {
  const ranges: [number, number][] = [];
  for (const interval of list) {
    const start = interval.start.getTime();
    const end = interval.end.getTime();
    if (end > start) ranges.push([start, end]);
  }
  // They usually arrive ordered by start already.
  if (ranges.some((range, i) => i > 0 && ranges[i - 1][0] > range[0]))
    ranges.sort((a, b) => a[0] - b[0]);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [start, end] of ranges) {
    const last = ends.length - 1;
    if (last >= 0 && start <= ends[last]) {
      if (end > ends[last]) ends[last] = end;
    } else {
      starts.push(start);
      ends.push(end);
    }
  }
  return { starts, ends };
}

function sortUnique(values: number[]): void {
  values.sort((a, b) => a - b);
  let kept = 0;
  for (let i = 0; i < values.length; i++) {
    if (i === 0 || values[i] !== values[kept - 1]) values[kept++] = values[i];
  }
  values.length = kept;
}
