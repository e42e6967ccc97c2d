import fc from 'fast-check';
import { DateTime } from 'luxon';
import { computeFreeSlots, firstFreeSlot, Interval, SlotQuery, WeeklyRule } from './slot-engine';

const MIN = 60_000;
const DAY = 86_400_000;

const ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'UTC',
  'Australia/Lord_Howe', // 30-minute DST
  'America/Havana', // DST starts at midnight: 00:00 does not exist that day
  'America/Santiago',
  'Africa/Casablanca', // offset changes twice around Ramadan
  'Europe/London',
];

const base: Omit<SlotQuery, 'rules' | 'timezone' | 'fromDate' | 'toDate' | 'durationMinutes'> = {
  timeOff: [],
  busy: [],
  now: new Date('2027-01-01T00:00:00Z'),
  minNoticeMinutes: 0,
  horizonDays: 400,
};

const everyDay = (startTime: string, endTime: string): WeeklyRule[] =>
  [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({ dayOfWeek, startTime, endTime }));

function starts(slots: Interval[]): string[] {
  return slots.map((slot) => slot.start.toISOString());
}

function at(iso: string): Date {
  return new Date(iso);
}

/** Wall-clock reading of an instant in a zone, as epoch ms of the same reading in UTC. */
function wallMs(zone: string, instant: number): number {
  return instant + DateTime.fromMillis(instant, { zone }).offset * MIN;
}

/** Brute force: the first instant whose wall clock reads `local` or later (minute scan). */
function firstReach(zone: string, local: number): number {
  const a = DateTime.fromMillis(local - DAY, { zone }).offset;
  const b = DateTime.fromMillis(local + DAY, { zone }).offset;
  const hi = local - Math.min(a, b) * MIN;
  for (let u = local - Math.max(a, b) * MIN; u <= hi; u += MIN) {
    if (wallMs(zone, u) >= local) return u;
  }
  return hi;
}

function timeToMinutes(value: string): number {
  const [h, m] = value.split(':').map(Number);
  return h * 60 + m;
}

/** Straightforward oracle of the documented semantics, built on luxon instant by instant. */
function referenceStarts(query: SlotQuery): number[] {
  const step = query.durationMinutes * MIN;
  const now = query.now.getTime();
  const earliest = now + query.minNoticeMinutes * MIN;
  const latest = now + query.horizonDays * DAY;
  const blocked = [...query.timeOff, ...query.busy];
  const found = new Set<number>();
  const last = DateTime.fromISO(query.toDate, { zone: 'UTC' });
  for (
    let date = DateTime.fromISO(query.fromDate, { zone: 'UTC' });
    date <= last;
    date = date.plus({ days: 1 })
  ) {
    const midnight = date.toMillis();
    for (const rule of query.rules.filter((r) => r.dayOfWeek === date.weekday % 7)) {
      const end = timeToMinutes(rule.endTime);
      const windowEnd = firstReach(query.timezone, midnight + end * MIN);
      for (
        let minute = timeToMinutes(rule.startTime);
        minute < end;
        minute += query.durationMinutes
      ) {
        const local = midnight + minute * MIN;
        const start = firstReach(query.timezone, local);
        if (wallMs(query.timezone, start) !== local) continue;
        if (start + step > windowEnd || start < earliest || start > latest) continue;
        if (blocked.some((b) => b.start.getTime() < start + step && b.end.getTime() > start))
          continue;
        found.add(start);
      }
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** Local dates on which a zone changes its offset, 2026–2030: where the generators aim. */
const TRANSITION_DATES: Record<string, string[]> = Object.fromEntries(
  ZONES.map((zone) => {
    const dates: string[] = [];
    let day = DateTime.fromISO('2026-01-01', { zone });
    while (day.year < 2031) {
      const next = day.plus({ days: 1 });
      if (next.offset !== day.offset) dates.push(day.toISODate()!);
      day = next;
    }
    return [zone, dates];
  }),
);

const timeArb = (min: number, max: number) =>
  fc.integer({ min: min / 5, max: max / 5 }).map((units) => units * 5);

function hhmm(minutes: number, withSeconds: boolean): string {
  const text = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return withSeconds ? `${text}:00` : text;
}

const ruleOf = (
  start: fc.Arbitrary<number>,
  length: fc.Arbitrary<number>,
): fc.Arbitrary<WeeklyRule> =>
  fc
    .record({ dayOfWeek: fc.integer({ min: 0, max: 6 }), start, length, seconds: fc.boolean() })
    .map(({ dayOfWeek, start, length, seconds }) => ({
      dayOfWeek,
      startTime: hhmm(start, seconds),
      endTime: hhmm(Math.min(start + length, 1440), seconds),
    }));

/** Any window, or one at night, where the clocks usually change. */
const ruleArb: fc.Arbitrary<WeeklyRule> = fc.oneof(
  ruleOf(timeArb(0, 1435), timeArb(5, 720)),
  ruleOf(timeArb(0, 235), timeArb(5, 300)),
);

const queryArb: fc.Arbitrary<SlotQuery> = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    nearTransition: fc.boolean(),
    pick: fc.nat(),
    randomDay: fc.integer({ min: 0, max: 3650 }),
    shift: fc.integer({ min: -3, max: 1 }),
    span: fc.integer({ min: 0, max: 5 }),
    rules: fc.array(ruleArb, { minLength: 1, maxLength: 8 }),
    durationMinutes: fc.oneof(
      fc.constantFrom(5, 15, 20, 30, 45, 60, 90, 240),
      fc.integer({ min: 5, max: 240 }),
    ),
    nowShiftMinutes: fc.oneof(
      fc.integer({ min: -3 * 1440, max: -1440 }),
      fc.integer({ min: -3 * 1440, max: 5 * 1440 }),
    ),
    minNoticeMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2880 })),
    horizonDays: fc.oneof(fc.constant(30), fc.integer({ min: 0, max: 10 })),
    busy: fc.array(
      fc.record({
        at: fc.integer({ min: -1440, max: 8 * 1440 }),
        length: fc.integer({ min: 1, max: 600 }),
      }),
      {
        maxLength: 30,
      },
    ),
    timeOff: fc.array(
      fc.record({
        at: fc.integer({ min: -1440, max: 8 * 1440 }),
        length: fc.integer({ min: 1, max: 3000 }),
      }),
      {
        maxLength: 3,
      },
    ),
  })
  .map((g) => {
    const transitions = TRANSITION_DATES[g.timezone];
    const anchor =
      g.nearTransition && transitions.length > 0
        ? DateTime.fromISO(transitions[g.pick % transitions.length], { zone: 'UTC' }).plus({
            days: g.shift,
          })
        : DateTime.fromISO('2026-01-01', { zone: 'UTC' }).plus({ days: g.randomDay });
    const from = anchor.toMillis();
    const toInterval = ({ at: offset, length }: { at: number; length: number }): Interval => ({
      start: new Date(from + offset * MIN),
      end: new Date(from + (offset + length) * MIN),
    });
    return {
      rules: g.rules,
      timeOff: g.timeOff.map(toInterval),
      busy: g.busy.map(toInterval),
      timezone: g.timezone,
      fromDate: anchor.toISODate()!,
      toDate: anchor.plus({ days: g.span }).toISODate()!,
      now: new Date(from + g.nowShiftMinutes * MIN),
      minNoticeMinutes: g.minNoticeMinutes,
      horizonDays: g.horizonDays,
      durationMinutes: g.durationMinutes,
    };
  });

describe(computeFreeSlots.name, () => {
  describe('properties over random rules, zones, dates, busy intervals and time off', () => {
    it('yields sorted, unique slots inside a rule, on its grid, free, after notice and within the horizon', () => {
      fc.assert(
        fc.property(queryArb, (query) => {
          const slots = computeFreeSlots(query);
          const step = query.durationMinutes * MIN;
          const earliest = query.now.getTime() + query.minNoticeMinutes * MIN;
          const latest = query.now.getTime() + query.horizonDays * DAY;
          const blocked = [...query.timeOff, ...query.busy];
          slots.forEach((slot, i) => {
            const start = slot.start.getTime();
            expect(slot.end.getTime() - start).toBe(step);
            if (i > 0) expect(start).toBeGreaterThan(slots[i - 1].start.getTime());
            expect(start).toBeGreaterThanOrEqual(earliest);
            expect(start).toBeLessThanOrEqual(latest);
            for (const b of blocked) {
              expect(b.start.getTime() < start + step && b.end.getTime() > start).toBe(false);
            }
            const local = DateTime.fromMillis(start, { zone: query.timezone });
            const date = local.toISODate()!;
            expect(date >= query.fromDate && date <= query.toDate).toBe(true);
            const minute = local.hour * 60 + local.minute;
            const midnight = DateTime.fromISO(date, { zone: 'UTC' }).toMillis();
            const inRule = query.rules.some(
              (rule) =>
                rule.dayOfWeek === local.weekday % 7 &&
                minute >= timeToMinutes(rule.startTime) &&
                (minute - timeToMinutes(rule.startTime)) % query.durationMinutes === 0 &&
                start + step <=
                  firstReach(query.timezone, midnight + timeToMinutes(rule.endTime) * MIN),
            );
            expect(inRule).toBe(true);
          });
        }),
        { numRuns: 400 },
      );
    });

    it('finds exactly the slots of a brute-force oracle of the same semantics', () => {
      fc.assert(
        fc.property(queryArb, (query) => {
          const slots = computeFreeSlots(query).map((slot) => slot.start.getTime());
          expect(slots).toEqual(referenceStarts(query));
        }),
        { numRuns: 400 },
      );
    });

    it('matches the oracle over month-long ranges, where offsets change inside the range', () => {
      const longQueryArb = fc
        .record({
          query: queryArb,
          shift: fc.integer({ min: -25, max: 0 }),
          span: fc.integer({ min: 7, max: 30 }),
          rules: fc.array(ruleArb, { minLength: 1, maxLength: 2 }),
          durationMinutes: fc.integer({ min: 30, max: 120 }),
        })
        .map(({ query, shift, span, rules, durationMinutes }) => {
          const transitions = TRANSITION_DATES[query.timezone];
          const anchor = DateTime.fromISO(transitions[0] ?? query.fromDate, { zone: 'UTC' }).plus({
            days: shift,
          });
          const short = rules.map((rule) => ({
            ...rule,
            endTime: hhmm(
              Math.min(timeToMinutes(rule.startTime) + 180, timeToMinutes(rule.endTime)),
              false,
            ),
          }));
          return {
            ...query,
            rules: short,
            durationMinutes,
            fromDate: anchor.toISODate()!,
            toDate: anchor.plus({ days: span }).toISODate()!,
            now: new Date(anchor.toMillis() - 86_400_000),
            horizonDays: 60,
          };
        });
      fc.assert(
        fc.property(longQueryArb, (query) => {
          const slots = computeFreeSlots(query).map((slot) => slot.start.getTime());
          expect(slots).toEqual(referenceStarts(query));
        }),
        { numRuns: 60 },
      );
    });

    it('returns as first free slot the head of the full list', () => {
      fc.assert(
        fc.property(queryArb, (query) => {
          const first = firstFreeSlot(query);
          const all = computeFreeSlots(query);
          expect(first?.start.getTime() ?? null).toBe(all[0]?.start.getTime() ?? null);
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('America/New_York', () => {
    it('keeps 09:00 local on both sides of spring forward (2027-03-14)', () => {
      const slots = computeFreeSlots({
        ...base,
        rules: everyDay('09:00', '10:00'),
        timezone: 'America/New_York',
        fromDate: '2027-03-13',
        toDate: '2027-03-15',
        durationMinutes: 30,
      });
      expect(starts(slots)).toEqual([
        '2027-03-13T14:00:00.000Z',
        '2027-03-13T14:30:00.000Z',
        '2027-03-14T13:00:00.000Z',
        '2027-03-14T13:30:00.000Z',
        '2027-03-15T13:00:00.000Z',
        '2027-03-15T13:30:00.000Z',
      ]);
    });

    it('offers no phantom slot in the skipped hour of a 01:00–04:00 rule (2027-03-14)', () => {
      const query = { ...base, rules: everyDay('01:00', '04:00'), timezone: 'America/New_York' };
      const hourly = computeFreeSlots({
        ...query,
        fromDate: '2027-03-14',
        toDate: '2027-03-14',
        durationMinutes: 60,
      });
      // 01:00 EST and 03:00 EDT: 02:00 does not exist that night.
      expect(starts(hourly)).toEqual(['2027-03-14T06:00:00.000Z', '2027-03-14T07:00:00.000Z']);
      const halfHourly = computeFreeSlots({
        ...query,
        fromDate: '2027-03-14',
        toDate: '2027-03-14',
        durationMinutes: 30,
      });
      expect(starts(halfHourly)).toEqual([
        '2027-03-14T06:00:00.000Z',
        '2027-03-14T06:30:00.000Z',
        '2027-03-14T07:00:00.000Z',
        '2027-03-14T07:30:00.000Z',
      ]);
    });

    it('does not let a slot run past a window end that follows the skipped hour', () => {
      // 01:00 EST + 2 h of real time is 04:00 EDT, past the 03:30 end of the window.
      const slots = computeFreeSlots({
        ...base,
        rules: everyDay('01:00', '03:30'),
        timezone: 'America/New_York',
        fromDate: '2027-03-14',
        toDate: '2027-03-14',
        durationMinutes: 120,
      });
      expect(slots).toEqual([]);
    });

    it('ends a window inside the skipped hour at the jump', () => {
      const slots = computeFreeSlots({
        ...base,
        rules: everyDay('00:00', '02:30'),
        timezone: 'America/New_York',
        fromDate: '2027-03-14',
        toDate: '2027-03-14',
        durationMinutes: 60,
      });
      expect(starts(slots)).toEqual(['2027-03-14T05:00:00.000Z', '2027-03-14T06:00:00.000Z']);
    });

    it('offers the repeated hour once when the clocks fall back (2027-11-07)', () => {
      const slots = computeFreeSlots({
        ...base,
        rules: everyDay('01:00', '04:00'),
        timezone: 'America/New_York',
        fromDate: '2027-11-07',
        toDate: '2027-11-07',
        durationMinutes: 60,
      });
      // 01:00 EDT, then 02:00 and 03:00 EST; the second 01:00 (EST) is not offered again.
      expect(starts(slots)).toEqual([
        '2027-11-07T05:00:00.000Z',
        '2027-11-07T07:00:00.000Z',
        '2027-11-07T08:00:00.000Z',
      ]);
    });

    it('keeps 09:00 local on both sides of fall back', () => {
      const slots = computeFreeSlots({
        ...base,
        rules: everyDay('09:00', '10:00'),
        timezone: 'America/New_York',
        fromDate: '2027-11-06',
        toDate: '2027-11-08',
        durationMinutes: 60,
      });
      expect(starts(slots)).toEqual([
        '2027-11-06T13:00:00.000Z',
        '2027-11-07T14:00:00.000Z',
        '2027-11-08T14:00:00.000Z',
      ]);
    });
  });

  describe('Europe/Berlin', () => {
    it('keeps 09:00 local across 2027-03-28 and skips 02:00', () => {
      const nine = computeFreeSlots({
        ...base,
        rules: everyDay('09:00', '10:00'),
        timezone: 'Europe/Berlin',
        fromDate: '2027-03-27',
        toDate: '2027-03-28',
        durationMinutes: 60,
      });
      expect(starts(nine)).toEqual(['2027-03-27T08:00:00.000Z', '2027-03-28T07:00:00.000Z']);
      const night = computeFreeSlots({
        ...base,
        rules: everyDay('01:00', '04:00'),
        timezone: 'Europe/Berlin',
        fromDate: '2027-03-28',
        toDate: '2027-03-28',
        durationMinutes: 60,
      });
      expect(starts(night)).toEqual(['2027-03-28T00:00:00.000Z', '2027-03-28T01:00:00.000Z']);
    });

    it('offers the repeated 02:00 hour once on 2027-10-31', () => {
      const slots = computeFreeSlots({
        ...base,
        rules: everyDay('01:00', '04:00'),
        timezone: 'Europe/Berlin',
        fromDate: '2027-10-31',
        toDate: '2027-10-31',
        durationMinutes: 60,
      });
      expect(starts(slots)).toEqual([
        '2027-10-30T23:00:00.000Z',
        '2027-10-31T00:00:00.000Z',
        '2027-10-31T02:00:00.000Z',
      ]);
    });
  });

  describe('visit types on the grid (the worked example of docs/scheduling.md)', () => {
    // Monday 2027-03-15, Europe/Berlin (UTC+1): 09:00 local is 08:00Z.
    const monday = {
      ...base,
      rules: [{ dayOfWeek: 1, startTime: '09:00', endTime: '12:00' }],
      timezone: 'Europe/Berlin',
      fromDate: '2027-03-15',
      toDate: '2027-03-15',
      gridMinutes: 15,
    };
    const local = (slots: Interval[]) =>
      slots.map((slot) =>
        DateTime.fromJSDate(slot.start, { zone: 'Europe/Berlin' }).toFormat('HH:mm'),
      );
    const consult = { ...monday, durationMinutes: 45, bufferAfterMinutes: 15 };
    // The 10:00 booking of the consultation: blocked 10:00–11:00 local.
    const booked = [{ start: at('2027-03-15T09:00:00Z'), end: at('2027-03-15T10:00:00Z') }];

    it('offers every grid start whose visit fits the window, buffers reaching past it', () => {
      const slots = computeFreeSlots(consult);
      expect(local(slots)).toEqual([
        '09:00',
        '09:15',
        '09:30',
        '09:45',
        '10:00',
        '10:15',
        '10:30',
        '10:45',
        '11:00',
        '11:15',
      ]);
      expect(slots[0].end.getTime() - slots[0].start.getTime()).toBe(45 * MIN);
    });

    it('takes away the starts whose blocked range overlaps a booking', () => {
      expect(local(computeFreeSlots({ ...consult, busy: booked }))).toEqual([
        '09:00',
        '11:00',
        '11:15',
      ]);
      expect(local(computeFreeSlots({ ...monday, durationMinutes: 10, busy: booked }))).toEqual([
        '09:00',
        '09:15',
        '09:30',
        '09:45',
        '11:00',
        '11:15',
        '11:30',
        '11:45',
      ]);
    });

    it('lets buffers overlap time off, not the visit', () => {
      const timeOff = [{ start: at('2027-03-15T10:45:00Z'), end: at('2027-03-15T11:00:00Z') }];
      // 11:45–12:00 local is off: 11:00 (visit to 11:45, buffer to 12:00) stays offered.
      expect(local(computeFreeSlots({ ...consult, timeOff }))).toContain('11:00');
      expect(local(computeFreeSlots({ ...consult, timeOff }))).not.toContain('11:15');
      const before = { ...consult, bufferBeforeMinutes: 30 };
      expect(local(computeFreeSlots(before))[0]).toBe('09:00');
    });
  });

  describe('Australia/Sydney', () => {
    it('keeps 09:00 local when daylight saving ends (2027-04-04) and starts (2027-10-03)', () => {
      const query = {
        ...base,
        rules: everyDay('09:00', '10:00'),
        timezone: 'Australia/Sydney',
        durationMinutes: 60,
      };
      expect(
        starts(computeFreeSlots({ ...query, fromDate: '2027-04-03', toDate: '2027-04-04' })),
      ).toEqual(['2027-04-02T22:00:00.000Z', '2027-04-03T23:00:00.000Z']);
      expect(
        starts(computeFreeSlots({ ...query, fromDate: '2027-10-02', toDate: '2027-10-03' })),
      ).toEqual(['2027-10-01T23:00:00.000Z', '2027-10-02T22:00:00.000Z']);
    });

    it('offers the repeated 02:00 hour once on 2027-04-04', () => {
      const slots = computeFreeSlots({
        ...base,
        rules: everyDay('01:00', '04:00'),
        timezone: 'Australia/Sydney',
        fromDate: '2027-04-04',
        toDate: '2027-04-04',
        durationMinutes: 60,
      });
      expect(starts(slots)).toEqual([
        '2027-04-03T14:00:00.000Z',
        '2027-04-03T15:00:00.000Z',
        '2027-04-03T17:00:00.000Z',
      ]);
    });
  });

  it('keeps a zone without daylight saving steady (Asia/Kolkata, +05:30)', () => {
    const slots = computeFreeSlots({
      ...base,
      rules: everyDay('09:00', '10:00'),
      timezone: 'Asia/Kolkata',
      fromDate: '2027-03-13',
      toDate: '2027-03-15',
      durationMinutes: 30,
    });
    expect(starts(slots)).toEqual([
      '2027-03-13T03:30:00.000Z',
      '2027-03-13T04:00:00.000Z',
      '2027-03-14T03:30:00.000Z',
      '2027-03-14T04:00:00.000Z',
      '2027-03-15T03:30:00.000Z',
      '2027-03-15T04:00:00.000Z',
    ]);
  });

  it('handles quarter-hour offsets (Pacific/Chatham, +12:45 in winter)', () => {
    const slots = computeFreeSlots({
      ...base,
      rules: everyDay('09:00', '10:00'),
      timezone: 'Pacific/Chatham',
      fromDate: '2027-06-01',
      toDate: '2027-06-01',
      durationMinutes: 60,
    });
    expect(starts(slots)).toEqual(['2027-05-31T20:15:00.000Z']);
  });

  it('reads rules by weekday (0 = Sunday) in the doctor zone and accepts HH:MM:SS and 24:00', () => {
    const slots = computeFreeSlots({
      ...base,
      rules: [{ dayOfWeek: 0, startTime: '22:00:00', endTime: '24:00' }],
      timezone: 'UTC',
      fromDate: '2027-03-13',
      toDate: '2027-03-15',
      durationMinutes: 60,
    });
    expect(starts(slots)).toEqual(['2027-03-14T22:00:00.000Z', '2027-03-14T23:00:00.000Z']);
  });

  it('leaves out slots overlapping busy intervals and time off, but not ones merely touching them', () => {
    const slots = computeFreeSlots({
      ...base,
      rules: everyDay('09:00', '13:00'),
      timezone: 'UTC',
      fromDate: '2027-03-15',
      toDate: '2027-03-15',
      durationMinutes: 60,
      busy: [{ start: at('2027-03-15T09:30:00Z'), end: at('2027-03-15T10:00:00Z') }],
      timeOff: [{ start: at('2027-03-15T11:00:00Z'), end: at('2027-03-15T12:00:00Z') }],
    });
    expect(starts(slots)).toEqual(['2027-03-15T10:00:00.000Z', '2027-03-15T12:00:00.000Z']);
  });

  it('applies minimum notice and horizon inclusively at their bounds', () => {
    const slots = computeFreeSlots({
      ...base,
      rules: everyDay('00:00', '24:00'),
      timezone: 'UTC',
      fromDate: '2027-03-15',
      toDate: '2027-03-20',
      durationMinutes: 60,
      now: at('2027-03-15T08:00:00Z'),
      minNoticeMinutes: 60,
      horizonDays: 1,
    });
    expect(slots[0].start.toISOString()).toBe('2027-03-15T09:00:00.000Z');
    expect(slots[slots.length - 1].start.toISOString()).toBe('2027-03-16T08:00:00.000Z');
    expect(slots).toHaveLength(24);
  });

  it('merges overlapping rules without duplicates, in order', () => {
    const slots = computeFreeSlots({
      ...base,
      rules: [
        { dayOfWeek: 1, startTime: '09:30', endTime: '11:00' },
        { dayOfWeek: 1, startTime: '09:00', endTime: '10:30' },
      ],
      timezone: 'UTC',
      fromDate: '2027-03-15',
      toDate: '2027-03-15',
      durationMinutes: 30,
    });
    expect(starts(slots)).toEqual([
      '2027-03-15T09:00:00.000Z',
      '2027-03-15T09:30:00.000Z',
      '2027-03-15T10:00:00.000Z',
      '2027-03-15T10:30:00.000Z',
    ]);
  });

  it('answers nothing for a reversed range and rejects malformed input', () => {
    const query = {
      ...base,
      rules: everyDay('09:00', '10:00'),
      timezone: 'UTC',
      durationMinutes: 30,
    };
    expect(computeFreeSlots({ ...query, fromDate: '2027-03-15', toDate: '2027-03-14' })).toEqual(
      [],
    );
    expect(() =>
      computeFreeSlots({ ...query, fromDate: '2027-02-30', toDate: '2027-03-01' }),
    ).toThrow(RangeError);
    expect(() =>
      computeFreeSlots({
        ...query,
        timezone: 'Mars/Olympus',
        fromDate: '2027-03-01',
        toDate: '2027-03-01',
      }),
    ).toThrow(RangeError);
    expect(() =>
      computeFreeSlots({
        ...query,
        rules: [{ dayOfWeek: 1, startTime: '10:00', endTime: '09:00' }],
        fromDate: '2027-03-01',
        toDate: '2027-03-01',
      }),
    ).toThrow(RangeError);
  });
});
