import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';
import type { Interval } from '../slots/slot-engine';

/** A calendar that cannot be read; `message` is written for the doctor (`lastError`). */
export class CalendarParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarParseError';
  }
}

export interface BusyWindow {
  /** Occurrences ending after this instant count... */
  from: Date;
  /** ...and starting before this one. */
  to: Date;
  /** The doctor's zone: all-day dates and floating times are read in it. */
  timezone: string;
  /** At most this many intervals are kept (the earliest). */
  maxIntervals?: number;
}

/**
 * Bound a hostile RRULE (FREQ=SECONDLY since 1970) to a fixed amount of work: ical.js takes
 * about 0.1 ms a step, so a calendar costs at most a few seconds of one worker.
 */
const MAX_STEPS_PER_EVENT = 20_000;
const MAX_STEPS = 50_000;
export const MAX_BUSY_INTERVALS = 5_000;

/**
 * The busy intervals of an iCalendar text in a window: one per occurrence, RRULE/RDATE
 * expanded with EXDATE removed and RECURRENCE-ID overrides applied (ical.js), times in the
 * zones of the file's VTIMEZONEs (or an IANA TZID it did not define), all-day dates in the
 * doctor's zone. Cancelled and transparent (free) occurrences block nothing.
 */
export function parseBusyIntervals(text: string, window: BusyWindow): Interval[] {
  const calendar = readCalendar(text);
  const maxIntervals = window.maxIntervals ?? MAX_BUSY_INTERVALS;
  const events = relatedEvents(calendar);
  const from = window.from.getTime();
  const to = window.to.getTime();
  const intervals: Interval[] = [];
  let budget = MAX_STEPS;
  for (const event of events) {
    const zoneOf = tzidOf(event.component.getFirstProperty('dtstart'));
    if (!event.isRecurring()) {
      const interval = occurrenceInterval(event, event.startDate, event.endDate, window, zoneOf);
      if (interval && interval.end.getTime() > from && interval.start.getTime() < to)
        intervals.push(interval);
      continue;
    }
    const iterator = event.iterator();
    for (let steps = 0; steps < MAX_STEPS_PER_EVENT && budget > 0; steps += 1, budget -= 1) {
      const next = iterator.next();
      // Occurrences come in start order: the first one past the window ends the series.
      if (!next || instant(next, window.timezone, zoneOf).getTime() >= to) break;
      const details = event.getOccurrenceDetails(next);
      const interval = occurrenceInterval(
        details.item,
        details.startDate,
        details.endDate,
        window,
        zoneOf,
      );
      if (interval && interval.end.getTime() > from && interval.start.getTime() < to)
        intervals.push(interval);
    }
  }
  intervals.sort((a, b) => a.start.getTime() - b.start.getTime());
  return intervals.slice(0, maxIntervals);
}

function readCalendar(text: string): ICAL.Component {
  let parsed: unknown;
  try {
    parsed = ICAL.parse(text);
  } catch (error) {
    throw new CalendarParseError(
      `not an iCalendar file: ${error instanceof Error ? error.message : String(error)}`.slice(
        0,
        300,
      ),
    );
  }
  // Several VCALENDARs in one file come as an array; the first is the calendar.
  const root = Array.isArray(parsed) && Array.isArray(parsed[0]) ? parsed[0] : parsed;
  const calendar = new ICAL.Component(root as unknown[]);
  if (calendar.name !== 'vcalendar') throw new CalendarParseError('not an iCalendar file');
  return calendar;
}

/** The events of the calendar, each series with its overridden occurrences attached. */
function relatedEvents(calendar: ICAL.Component): ICAL.Event[] {
  const masters = new Map<string, ICAL.Event>();
  const exceptions: ICAL.Component[] = [];
  const singles: ICAL.Event[] = [];
  for (const component of calendar.getAllSubcomponents('vevent')) {
    if (!component.hasProperty('dtstart')) continue;
    if (component.hasProperty('recurrence-id')) {
      exceptions.push(component);
      continue;
    }
    const event = new ICAL.Event(component);
    const uid = event.uid;
    if (uid && !masters.has(uid)) masters.set(uid, event);
    else singles.push(event);
  }
  for (const component of exceptions) {
    const master = masters.get(String(component.getFirstPropertyValue('uid')));
    // An override without its series is an ordinary event at its own time.
    if (master) master.relateException(component);
    else singles.push(new ICAL.Event(component));
  }
  return [...masters.values(), ...singles];
}

function occurrenceInterval(
  event: ICAL.Event,
  start: ICAL.Time,
  end: ICAL.Time | null,
  window: BusyWindow,
  tzid: string | null,
): Interval | null {
  const component = event.component;
  const status = String(component.getFirstPropertyValue('status') ?? '').toUpperCase();
  const transp = String(component.getFirstPropertyValue('transp') ?? '').toUpperCase();
  if (status === 'CANCELLED' || transp === 'TRANSPARENT') return null;
  const startsAt = instant(start, window.timezone, tzid);
  let endsAt: Date;
  if (end && (component.hasProperty('dtend') || component.hasProperty('duration'))) {
    endsAt = instant(end, window.timezone, tzid);
  } else if (start.isDate) {
    // An all-day event without an end lasts its one day (RFC 5545 §3.6.1).
    const next = start.clone();
    next.day += 1;
    endsAt = instant(next, window.timezone, tzid);
  } else {
    return null; // A moment, not a stretch of time: it blocks nothing.
  }
  if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime())) return null;
  if (endsAt.getTime() <= startsAt.getTime()) return null;
  return { start: startsAt, end: endsAt };
}

function tzidOf(property: ICAL.Property | null): string | null {
  const tzid = property?.getParameter('tzid');
  return typeof tzid === 'string' ? tzid : null;
}

/**
 * The instant of an iCalendar time: UTC as is, a zone the file defined through its
 * VTIMEZONE, an undefined TZID through the IANA database when it names a zone there, and a
 * floating time or a date in the doctor's zone.
 */
function instant(time: ICAL.Time, doctorZone: string, tzid: string | null): Date {
  const zone = time.zone?.tzid;
  if (!time.isDate && zone === 'UTC') {
    return new Date(
      Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second),
    );
  }
  if (!time.isDate && zone && zone !== 'floating') return new Date(time.toUnixTime() * 1000);
  const local = !time.isDate && tzid && IANAZone.isValidZone(tzid) ? tzid : doctorZone;
  return DateTime.fromObject(
    time.isDate
      ? { year: time.year, month: time.month, day: time.day }
      : {
          year: time.year,
          month: time.month,
          day: time.day,
          hour: time.hour,
          minute: time.minute,
          second: time.second,
        },
    { zone: local },
  ).toJSDate();
}
