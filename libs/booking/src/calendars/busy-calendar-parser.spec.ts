import { CalendarParseError, parseBusyIntervals } from './busy-calendar-parser';

const CRLF = '\r\n';
const calendar = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//Busy//EN', ...lines, 'END:VCALENDAR'].join(
    CRLF,
  ) + CRLF;

// Europe/Berlin as Outlook and Google write it: the rule of the EU since 1996.
const BERLIN = [
  'BEGIN:VTIMEZONE',
  'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16011028T030000',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010325T020000',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
];

const window = {
  from: new Date('2027-03-01T00:00:00Z'),
  to: new Date('2027-05-01T00:00:00Z'),
  timezone: 'America/New_York',
};

const iso = (intervals: { start: Date; end: Date }[]) =>
  intervals.map((i) => `${i.start.toISOString()}/${i.end.toISOString()}`);

describe(parseBusyIntervals.name, () => {
  it('expands a weekly RRULE, leaves out the EXDATE and keeps the zone across DST', () => {
    const text = calendar(
      ...BERLIN,
      'BEGIN:VEVENT',
      'UID:surgery@example.test',
      'DTSTAMP:20270101T000000Z',
      'DTSTART;TZID=W. Europe Standard Time:20270315T090000',
      'DTEND;TZID=W. Europe Standard Time:20270315T110000',
      'RRULE:FREQ=WEEKLY;COUNT=4',
      'EXDATE;TZID=W. Europe Standard Time:20270322T090000',
      'SUMMARY:Surgery list',
      'END:VEVENT',
    );
    expect(iso(parseBusyIntervals(text, window))).toEqual([
      '2027-03-15T08:00:00.000Z/2027-03-15T10:00:00.000Z',
      // 2027-03-28: Berlin moved to summer time, 09:00 is now 07:00 UTC.
      '2027-03-29T07:00:00.000Z/2027-03-29T09:00:00.000Z',
      '2027-04-05T07:00:00.000Z/2027-04-05T09:00:00.000Z',
    ]);
  });

  it("reads an all-day event in the doctor's zone, and an IANA TZID without a VTIMEZONE", () => {
    const text = calendar(
      'BEGIN:VEVENT',
      'UID:holiday@example.test',
      'DTSTAMP:20270101T000000Z',
      'DTSTART;VALUE=DATE:20270402',
      'DTEND;VALUE=DATE:20270403',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:call@example.test',
      'DTSTAMP:20270101T000000Z',
      'DTSTART;TZID=Asia/Tokyo:20270405T090000',
      'DURATION:PT30M',
      'END:VEVENT',
    );
    expect(iso(parseBusyIntervals(text, window))).toEqual([
      '2027-04-02T04:00:00.000Z/2027-04-03T04:00:00.000Z',
      '2027-04-05T00:00:00.000Z/2027-04-05T00:30:00.000Z',
    ]);
  });

  it('ignores cancelled and transparent events and a cancelled occurrence, and applies a moved one', () => {
    const text = calendar(
      'BEGIN:VEVENT',
      'UID:gone@example.test',
      'DTSTAMP:20270101T000000Z',
      'DTSTART:20270310T100000Z',
      'DTEND:20270310T110000Z',
      'STATUS:CANCELLED',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:free@example.test',
      'DTSTAMP:20270101T000000Z',
      'DTSTART:20270311T100000Z',
      'DTEND:20270311T110000Z',
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:daily@example.test',
      'DTSTAMP:20270101T000000Z',
      'DTSTART:20270312T100000Z',
      'DTEND:20270312T110000Z',
      'RRULE:FREQ=DAILY;COUNT=3',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:daily@example.test',
      'DTSTAMP:20270101T000000Z',
      'RECURRENCE-ID:20270313T100000Z',
      'DTSTART:20270313T150000Z',
      'DTEND:20270313T160000Z',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:daily@example.test',
      'DTSTAMP:20270101T000000Z',
      'RECURRENCE-ID:20270314T100000Z',
      'DTSTART:20270314T100000Z',
      'DTEND:20270314T110000Z',
      'STATUS:CANCELLED',
      'END:VEVENT',
    );
    expect(iso(parseBusyIntervals(text, window))).toEqual([
      '2027-03-12T10:00:00.000Z/2027-03-12T11:00:00.000Z',
      '2027-03-13T15:00:00.000Z/2027-03-13T16:00:00.000Z',
    ]);
  });

  it('keeps only the window and stops an endless rule at its end', () => {
    const text = calendar(
      'BEGIN:VEVENT',
      'UID:forever@example.test',
      'DTSTAMP:20200101T000000Z',
      'DTSTART:20200101T120000Z',
      'DTEND:20200101T130000Z',
      'RRULE:FREQ=DAILY',
      'END:VEVENT',
    );
    const intervals = parseBusyIntervals(text, window);
    expect(intervals).toHaveLength(61);
    expect(intervals[0].start.toISOString()).toBe('2027-03-01T12:00:00.000Z');
    expect(intervals.at(-1)!.start.toISOString()).toBe('2027-04-30T12:00:00.000Z');
  });

  it('refuses what is not iCalendar', () => {
    expect(() => parseBusyIntervals('<html>Sign in</html>', window)).toThrow(CalendarParseError);
  });
});
