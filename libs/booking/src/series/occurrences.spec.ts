import { DateTime } from 'luxon';
import { inBookingWindow, seriesOccurrences } from './occurrences';

const local = (instants: Date[], zone: string) =>
  instants.map((d) => DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd ccc HH:mm'));
const utc = (instants: Date[]) => instants.map((d) => d.toISOString());

describe(seriesOccurrences.name, () => {
  it('keeps 09:00 Berlin across the spring-forward change (the UTC instant moves an hour earlier)', () => {
    // Europe/Berlin: CET (+01:00) until 28 March 2027 02:00, then CEST (+02:00).
    const starts = seriesOccurrences(
      new Date('2027-03-16T08:00:00Z'),
      { every: 1, unit: 'week', count: 4 },
      'Europe/Berlin',
    );
    expect(local(starts, 'Europe/Berlin')).toEqual([
      '2027-03-16 Tue 09:00',
      '2027-03-23 Tue 09:00',
      '2027-03-30 Tue 09:00',
      '2027-04-06 Tue 09:00',
    ]);
    expect(utc(starts)).toEqual([
      '2027-03-16T08:00:00.000Z',
      '2027-03-23T08:00:00.000Z',
      '2027-03-30T07:00:00.000Z',
      '2027-04-06T07:00:00.000Z',
    ]);
  });

  it('keeps 09:00 Berlin across the fall-back change (the UTC instant moves an hour later)', () => {
    // CEST until 31 October 2027 03:00, then CET.
    const starts = seriesOccurrences(
      new Date('2027-10-19T07:00:00Z'),
      { every: 2, unit: 'week', count: 3 },
      'Europe/Berlin',
    );
    expect(local(starts, 'Europe/Berlin')).toEqual([
      '2027-10-19 Tue 09:00',
      '2027-11-02 Tue 09:00',
      '2027-11-16 Tue 09:00',
    ]);
    expect(utc(starts)).toEqual([
      '2027-10-19T07:00:00.000Z',
      '2027-11-02T08:00:00.000Z',
      '2027-11-16T08:00:00.000Z',
    ]);
  });

  it('keeps the local time in a half-hour zone with daylight saving (Australia/Adelaide, +09:30/+10:30)', () => {
    // Adelaide leaves daylight saving on 4 April 2027 and starts it again on 3 October 2027.
    const starts = seriesOccurrences(
      new Date('2027-03-29T22:30:00Z'), // Tuesday 30 March 09:00 ACDT
      { every: 1, unit: 'week', count: 2 },
      'Australia/Adelaide',
    );
    expect(local(starts, 'Australia/Adelaide')).toEqual([
      '2027-03-30 Tue 09:00',
      '2027-04-06 Tue 09:00',
    ]);
    expect(utc(starts)).toEqual(['2027-03-29T22:30:00.000Z', '2027-04-05T23:30:00.000Z']);
  });

  it('works in fixed half- and three-quarter-hour offsets (Asia/Kolkata, Asia/Kathmandu)', () => {
    const kolkata = seriesOccurrences(
      new Date('2027-01-04T04:00:00Z'), // 09:30 IST
      { every: 3, unit: 'week', count: 3 },
      'Asia/Kolkata',
    );
    expect(local(kolkata, 'Asia/Kolkata')).toEqual([
      '2027-01-04 Mon 09:30',
      '2027-01-25 Mon 09:30',
      '2027-02-15 Mon 09:30',
    ]);
    const kathmandu = seriesOccurrences(
      new Date('2027-01-04T03:15:00Z'), // 09:00 +05:45
      { every: 1, unit: 'week', count: 2 },
      'Asia/Kathmandu',
    );
    expect(utc(kathmandu)).toEqual(['2027-01-04T03:15:00.000Z', '2027-01-11T03:15:00.000Z']);
  });

  it('runs a 26-week series across a year end, one week apart, same weekday and time', () => {
    const starts = seriesOccurrences(
      new Date('2027-09-07T14:00:00Z'), // Tuesday 10:00 in New York (EDT)
      { every: 1, unit: 'week', count: 26 },
      'America/New_York',
    );
    expect(starts).toHaveLength(26);
    const shown = local(starts, 'America/New_York');
    expect(new Set(shown.map((s) => s.slice(11)))).toEqual(new Set(['Tue 10:00']));
    expect(shown[0]).toBe('2027-09-07 Tue 10:00');
    expect(shown[25]).toBe('2028-02-29 Tue 10:00');
    expect(shown).toContain('2027-12-28 Tue 10:00');
    expect(shown).toContain('2028-01-04 Tue 10:00');
    // EDT → EST on 7 November 2027: 14:00Z becomes 15:00Z.
    expect(starts[8].toISOString()).toBe('2027-11-02T14:00:00.000Z');
    expect(starts[9].toISOString()).toBe('2027-11-09T15:00:00.000Z');
  });

  it('answers exactly `count` starts and refuses an invalid zone', () => {
    expect(
      seriesOccurrences(
        new Date('2027-01-04T09:00:00Z'),
        { every: 4, unit: 'week', count: 2 },
        'UTC',
      ),
    ).toHaveLength(2);
    expect(() =>
      seriesOccurrences(
        new Date('2027-01-04T09:00:00Z'),
        { every: 1, unit: 'week', count: 2 },
        'Mars/Olympus',
      ),
    ).toThrow(RangeError);
  });
});

describe(inBookingWindow.name, () => {
  const now = new Date('2027-01-01T12:00:00Z');
  const window = { minNoticeMinutes: 60, horizonDays: 90 };

  it('refuses an occurrence inside the minimum notice and one past the horizon', () => {
    expect(inBookingWindow(new Date('2027-01-01T12:59:00Z'), now, window)).toBe(false);
    expect(inBookingWindow(new Date('2027-01-01T13:00:00Z'), now, window)).toBe(true);
    expect(inBookingWindow(new Date('2027-04-01T12:00:00Z'), now, window)).toBe(true);
    expect(inBookingWindow(new Date('2027-04-01T12:01:00Z'), now, window)).toBe(false);
  });

  it('judges each occurrence of a series on its own: the later ones fall past the horizon', () => {
    const starts = seriesOccurrences(
      new Date('2027-01-05T09:00:00Z'),
      { every: 1, unit: 'week', count: 14 },
      'UTC',
    );
    const inside = starts.map((start) => inBookingWindow(start, now, window));
    expect(inside.filter(Boolean)).toHaveLength(13);
    expect(inside[13]).toBe(false);
  });
});
