import fc from 'fast-check';
import { DateTime } from 'luxon';
import { computeFreeSlots, firstFreeSlot, Interval, SlotQuery, WeeklyRule } from './slot-engine';

const MIN = 60_000;
const DAY = 86_400_000;

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];

const everyDay = (startTime: string, endTime: string): WeeklyRule[] =>
  [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({ dayOfWeek, startTime, endTime }));

const base = {
  timeOff: [] as Interval[],
  busy: [] as Interval[],
  now: new Date('2027-01-01T00:00:00Z'),
  minNoticeMinutes: 0,
  horizonDays: 400,
};

function starts(slots: Interval[]): string[] {
  return slots.map((slot) => slot.start.toISOString());
}

function interval(from: string, to: string): Interval {
  return { start: new Date(from), end: new Date(to) };
}

function minutesOf(value: string): number {
  const [h, m] = value.split(':').map(Number);
  return h * 60 + m;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
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

const overlaps = (aStart: number, aEnd: number, b: Interval) =>
  b.start.getTime() < aEnd && b.end.getTime() > aStart;

/**
 * Oracle of SPEC §6: starts every `grid` local minutes from each window start, whose visit
 * [start, start + duration) fits the window and misses time off, and whose blocked range
 * [start − before, start + duration + after) misses every busy interval.
 */
function referenceStarts(query: SlotQuery): number[] {
  const grid = query.gridMinutes ?? query.durationMinutes;
  const length = query.durationMinutes * MIN;
  const before = (query.bufferBeforeMinutes ?? 0) * MIN;
  const after = (query.bufferAfterMinutes ?? 0) * MIN;
  const earliest = query.now.getTime() + query.minNoticeMinutes * MIN;
  const latest = query.now.getTime() + query.horizonDays * DAY;
  const found = new Set<number>();
  const last = DateTime.fromISO(query.toDate, { zone: 'UTC' });
  for (
    let date = DateTime.fromISO(query.fromDate, { zone: 'UTC' });
    date <= last;
    date = date.plus({ days: 1 })
  ) {
    const midnight = date.toMillis();
    for (const rule of query.rules.filter((r) => r.dayOfWeek === date.weekday % 7)) {
      const end = minutesOf(rule.endTime);
      const windowEnd = firstReach(query.timezone, midnight + end * MIN);
      for (let minute = minutesOf(rule.startTime); minute < end; minute += grid) {
        const local = midnight + minute * MIN;
        const start = firstReach(query.timezone, local);
        if (wallMs(query.timezone, start) !== local) continue;
        if (start + length > windowEnd || start < earliest || start > latest) continue;
        if (query.timeOff.some((off) => overlaps(start, start + length, off))) continue;
        if (query.busy.some((busy) => overlaps(start - before, start + length + after, busy)))
          continue;
        found.add(start);
      }
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** Local dates on which a zone changes its offset, 2026–2029: where the generator aims. */
const TRANSITION_DATES: Record<string, string[]> = Object.fromEntries(
  ZONES.map((zone) => {
    const dates: string[] = [];
    let day = DateTime.fromISO('2026-01-01', { zone });
    while (day.year < 2030) {
      const next = day.plus({ days: 1 });
      if (next.offset !== day.offset) dates.push(day.toISODate()!);
      day = next;
    }
    return [zone, dates];
  }),
);

const ruleArb: fc.Arbitrary<WeeklyRule> = fc
  .record({
    dayOfWeek: fc.integer({ min: 0, max: 6 }),
    // Windows anywhere in the day, or at night where the clocks change.
    start: fc.oneof(fc.integer({ min: 0, max: 287 }), fc.integer({ min: 0, max: 47 })),
    length: fc.integer({ min: 1, max: 144 }),
  })
  .map(({ dayOfWeek, start, length }) => ({
    dayOfWeek,
    startTime: hhmm(start * 5),
    endTime: hhmm(Math.min((start + length) * 5, 1440)),
  }));

const rangeArb = (maxLength: number) =>
  fc.record({
    at: fc.integer({ min: -1440, max: 6 * 1440 }),
    length: fc.integer({ min: 1, max: maxLength }),
  });

/** Random rules, zones, dates near DST changes, grids, durations, buffers, busy and time off. */
const queryArb: fc.Arbitrary<SlotQuery> = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    nearTransition: fc.boolean(),
    pick: fc.nat(),
    randomDay: fc.integer({ min: 0, max: 1400 }),
    shift: fc.integer({ min: -2, max: 1 }),
    span: fc.integer({ min: 0, max: 4 }),
    rules: fc.array(ruleArb, { minLength: 1, maxLength: 6 }),
    gridMinutes: fc.oneof(fc.constantFrom(5, 10, 15, 20, 30, 60), fc.integer({ min: 5, max: 240 })),
    durationMinutes: fc.oneof(
      fc.constantFrom(5, 10, 15, 30, 45, 60, 90, 480),
      fc.integer({ min: 5, max: 480 }),
    ),
    bufferBeforeMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 120 })),
    bufferAfterMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 120 })),
    busy: fc.array(rangeArb(240), { maxLength: 25 }),
    timeOff: fc.array(rangeArb(1500), { maxLength: 3 }),
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
    const toInterval = ({ at, length }: { at: number; length: number }): Interval => ({
      start: new Date(from + at * MIN),
      end: new Date(from + (at + length) * MIN),
    });
    return {
      rules: g.rules,
      timeOff: g.timeOff.map(toInterval),
      busy: g.busy.map(toInterval),
      timezone: g.timezone,
      fromDate: anchor.toISODate()!,
      toDate: anchor.plus({ days: g.span }).toISODate()!,
      now: new Date(from - 3 * DAY),
      minNoticeMinutes: 0,
      horizonDays: 30,
      gridMinutes: g.gridMinutes,
      durationMinutes: g.durationMinutes,
      bufferBeforeMinutes: g.bufferBeforeMinutes,
      bufferAfterMinutes: g.bufferAfterMinutes,
    };
  });

describe(`${computeFreeSlots.name} with a grid, visit durations and buffers`, () => {
  describe('properties', () => {
    it('never offers a start whose blocked range overlaps a busy interval, or whose visit meets time off', () => {
      fc.assert(
        fc.property(queryArb, (query) => {
          const before = query.bufferBeforeMinutes! * MIN;
          const after = query.bufferAfterMinutes! * MIN;
          for (const slot of computeFreeSlots(query)) {
            const start = slot.start.getTime();
            expect(slot.end.getTime() - start).toBe(query.durationMinutes * MIN);
            for (const busy of query.busy)
              expect(overlaps(start - before, slot.end.getTime() + after, busy)).toBe(false);
            for (const off of query.timeOff)
              expect(overlaps(start, slot.end.getTime(), off)).toBe(false);
          }
        }),
        { numRuns: 300 },
      );
    });

    it('offers only visits inside one rule window, starting on its grid (local time)', () => {
      fc.assert(
        fc.property(queryArb, (query) => {
          const slots = computeFreeSlots(query);
          slots.forEach((slot, i) => {
            const start = slot.start.getTime();
            if (i > 0) expect(start).toBeGreaterThan(slots[i - 1].start.getTime());
            const local = DateTime.fromMillis(start, { zone: query.timezone });
            const date = local.toISODate()!;
            expect(date >= query.fromDate && date <= query.toDate).toBe(true);
            const minute = local.hour * 60 + local.minute;
            const midnight = DateTime.fromISO(date, { zone: 'UTC' }).toMillis();
            const windows = query.rules.filter(
              (rule) =>
                rule.dayOfWeek === local.weekday % 7 &&
                minute >= minutesOf(rule.startTime) &&
                (minute - minutesOf(rule.startTime)) % query.gridMinutes! === 0 &&
                slot.end.getTime() <=
                  firstReach(query.timezone, midnight + minutesOf(rule.endTime) * MIN),
            );
            expect(windows.length).toBeGreaterThan(0);
          });
        }),
        { numRuns: 300 },
      );
    });

    it('finds exactly the starts of a brute-force oracle of SPEC §6', () => {
      fc.assert(
        fc.property(queryArb, (query) => {
          expect(computeFreeSlots(query).map((slot) => slot.start.getTime())).toEqual(
            referenceStarts(query),
          );
        }),
        { numRuns: 400 },
      );
    });

    it('lets buffers reach outside the window: nothing busy, the first and last fitting visits are offered', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 200 }),
          fc.integer({ min: 1, max: 96 }),
          fc.constantFrom(5, 10, 15, 30),
          fc.integer({ min: 1, max: 120 }),
          fc.integer({ min: 0, max: 120 }),
          (startUnits, lengthUnits, grid, before, after) => {
            const windowStart = startUnits * 5;
            const windowEnd = Math.min(windowStart + lengthUnits * 5, 1440);
            const duration = Math.max(5, Math.min(windowEnd - windowStart, grid * 2));
            fc.pre(windowEnd - windowStart >= duration);
            const slots = computeFreeSlots({
              ...base,
              rules: [{ dayOfWeek: 1, startTime: hhmm(windowStart), endTime: hhmm(windowEnd) }],
              timezone: 'UTC',
              fromDate: '2027-03-15',
              toDate: '2027-03-15',
              gridMinutes: grid,
              durationMinutes: duration,
              bufferBeforeMinutes: before,
              bufferAfterMinutes: after,
            });
            const midnight = Date.parse('2027-03-15T00:00:00Z');
            expect(slots[0]?.start.getTime()).toBe(midnight + windowStart * MIN);
            const lastStart =
              windowStart + Math.floor((windowEnd - windowStart - duration) / grid) * grid;
            expect(slots[slots.length - 1].start.getTime()).toBe(midnight + lastStart * MIN);
            expect(slots).toHaveLength((lastStart - windowStart) / grid + 1);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('returns as first free slot the head of the full list', () => {
      fc.assert(
        fc.property(queryArb, (query) => {
          expect(firstFreeSlot(query)?.start.getTime() ?? null).toBe(
            computeFreeSlots(query)[0]?.start.getTime() ?? null,
          );
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('a 09:00–12:00 day, grid 15, a 45-minute visit with 15 minutes after', () => {
    const day = {
      ...base,
      rules: [{ dayOfWeek: 1, startTime: '09:00', endTime: '12:00' }],
      timezone: 'UTC',
      fromDate: '2027-03-15',
      toDate: '2027-03-15',
      gridMinutes: 15,
      durationMinutes: 45,
      bufferAfterMinutes: 15,
    };
    const at = (time: string) => `2027-03-15T${time}:00.000Z`;

    it('offers 09:00, 09:15, … 11:15: the last visit ends at 12:00, its buffer after it', () => {
      const slots = computeFreeSlots(day);
      expect(starts(slots)).toEqual(
        [
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
        ].map(at),
      );
      expect(slots[slots.length - 1].end.toISOString()).toBe(at('12:00'));
    });

    it('leaves out every start whose visit or buffer would meet a booking blocking 10:00–10:30', () => {
      const busy = [interval(at('10:00'), at('10:30'))];
      expect(starts(computeFreeSlots({ ...day, busy }))).toEqual(
        ['09:00', '10:30', '10:45', '11:00', '11:15'].map(at),
      );
    });

    it('with 10 minutes before as well, 10:30 is taken too: its buffer reaches into the booking', () => {
      const busy = [interval(at('10:00'), at('10:30'))];
      expect(starts(computeFreeSlots({ ...day, busy, bufferBeforeMinutes: 10 }))).toEqual(
        ['09:00', '10:45', '11:00', '11:15'].map(at),
      );
    });

    it('offers 09:00 with a buffer before that starts outside the window', () => {
      expect(starts(computeFreeSlots({ ...day, bufferBeforeMinutes: 30 }))[0]).toBe(at('09:00'));
      // ...but not when a booking sits right before the window, inside that buffer.
      const busy = [interval(at('08:40'), at('08:50'))];
      expect(starts(computeFreeSlots({ ...day, busy, bufferBeforeMinutes: 15 }))[0]).toBe(
        at('09:15'),
      );
      // A booking ending exactly where the buffer begins does not count.
      const touching = [interval(at('08:30'), at('08:45'))];
      expect(starts(computeFreeSlots({ ...day, busy: touching, bufferBeforeMinutes: 15 }))[0]).toBe(
        at('09:00'),
      );
    });

    it('offers 11:15 with a buffer after that ends outside the window unless a booking is there', () => {
      const busy = [interval(at('12:05'), at('12:30'))];
      const offered = starts(computeFreeSlots({ ...day, busy, bufferAfterMinutes: 5 }));
      expect(offered[offered.length - 1]).toBe(at('11:15'));
      const late = starts(computeFreeSlots({ ...day, busy, bufferAfterMinutes: 15 }));
      expect(late[late.length - 1]).toBe(at('11:00'));
    });

    it('keeps buffers out of time off: only the visit itself must miss it', () => {
      const timeOff = [interval(at('11:00'), at('13:00'))];
      const offered = starts(computeFreeSlots({ ...day, timeOff, bufferAfterMinutes: 30 }));
      expect(offered[offered.length - 1]).toBe(at('10:15'));
    });

    it('answers the same starts when the grid is the visit length by default', () => {
      const { gridMinutes: _grid, ...rest } = day;
      void _grid;
      expect(starts(computeFreeSlots(rest))).toEqual(['09:00', '09:45', '10:30', '11:15'].map(at));
    });
  });

  describe('Europe/Berlin across its clock changes, mixed durations', () => {
    const berlin = {
      ...base,
      rules: everyDay('01:00', '05:00'),
      timezone: 'Europe/Berlin',
      gridMinutes: 30,
    };

    it('spring forward (2027-03-28): no start in the skipped hour; visits end by 05:00 CEST', () => {
      const day = { ...berlin, fromDate: '2027-03-28', toDate: '2027-03-28' };
      // 01:00 and 01:30 CET, then 03:00 CEST; the window ends at 05:00 CEST = 03:00Z.
      expect(starts(computeFreeSlots({ ...day, durationMinutes: 45 }))).toEqual([
        '2027-03-28T00:00:00.000Z',
        '2027-03-28T00:30:00.000Z',
        '2027-03-28T01:00:00.000Z',
        '2027-03-28T01:30:00.000Z',
        '2027-03-28T02:00:00.000Z',
      ]);
      expect(starts(computeFreeSlots({ ...day, durationMinutes: 120 }))).toEqual([
        '2027-03-28T00:00:00.000Z',
        '2027-03-28T00:30:00.000Z',
        '2027-03-28T01:00:00.000Z',
      ]);
      // A booking 01:00–01:15Z (03:00–03:15 CEST) with 20 after: the blocked range is
      // [s, s + 40) for a 20-minute visit.
      expect(
        starts(
          computeFreeSlots({
            ...day,
            durationMinutes: 20,
            bufferAfterMinutes: 20,
            busy: [interval('2027-03-28T01:00:00Z', '2027-03-28T01:15:00Z')],
          }),
        ),
      ).toEqual([
        '2027-03-28T00:00:00.000Z',
        '2027-03-28T01:30:00.000Z',
        '2027-03-28T02:00:00.000Z',
        '2027-03-28T02:30:00.000Z',
      ]);
    });

    it('fall back (2027-10-31): the repeated hour is offered once; buffers count real minutes', () => {
      const day = {
        ...berlin,
        rules: everyDay('01:00', '04:00'),
        fromDate: '2027-10-31',
        toDate: '2027-10-31',
      };
      // 01:00, 01:30, 02:00, 02:30 CEST, then 03:00 and 03:30 CET; the window ends 03:00Z.
      expect(starts(computeFreeSlots({ ...day, durationMinutes: 20 }))).toEqual([
        '2027-10-30T23:00:00.000Z',
        '2027-10-30T23:30:00.000Z',
        '2027-10-31T00:00:00.000Z',
        '2027-10-31T00:30:00.000Z',
        '2027-10-31T02:00:00.000Z',
        '2027-10-31T02:30:00.000Z',
      ]);
      expect(starts(computeFreeSlots({ ...day, durationMinutes: 90 }))).toEqual([
        '2027-10-30T23:00:00.000Z',
        '2027-10-30T23:30:00.000Z',
        '2027-10-31T00:00:00.000Z',
        '2027-10-31T00:30:00.000Z',
      ]);
      // A booking in the repeated hour (02:00–02:30 CET = 01:00–01:30Z) takes 00:30Z only:
      // 02:30 CEST + 20 minutes + 30 after reaches 01:20Z.
      expect(
        starts(
          computeFreeSlots({
            ...day,
            durationMinutes: 20,
            bufferAfterMinutes: 30,
            busy: [interval('2027-10-31T01:00:00Z', '2027-10-31T01:30:00Z')],
          }),
        ),
      ).toEqual([
        '2027-10-30T23:00:00.000Z',
        '2027-10-30T23:30:00.000Z',
        '2027-10-31T00:00:00.000Z',
        '2027-10-31T02:00:00.000Z',
        '2027-10-31T02:30:00.000Z',
      ]);
      // 03:00 CET with 31 minutes before reaches back to 01:29Z, into that booking.
      expect(
        starts(
          computeFreeSlots({
            ...day,
            durationMinutes: 20,
            bufferBeforeMinutes: 31,
            busy: [interval('2027-10-31T01:00:00Z', '2027-10-31T01:30:00Z')],
          }),
        ),
      ).toEqual([
        '2027-10-30T23:00:00.000Z',
        '2027-10-30T23:30:00.000Z',
        '2027-10-31T00:00:00.000Z',
        '2027-10-31T00:30:00.000Z',
        '2027-10-31T02:30:00.000Z',
      ]);
    });

    it('keeps 09:00 local on both sides of each change with a 45-minute visit on a 15-minute grid', () => {
      const query = {
        ...base,
        rules: everyDay('09:00', '10:00'),
        timezone: 'Europe/Berlin',
        gridMinutes: 15,
        durationMinutes: 45,
        bufferBeforeMinutes: 15,
        bufferAfterMinutes: 15,
      };
      expect(
        starts(computeFreeSlots({ ...query, fromDate: '2027-03-27', toDate: '2027-03-28' })),
      ).toEqual([
        '2027-03-27T08:00:00.000Z',
        '2027-03-27T08:15:00.000Z',
        '2027-03-28T07:00:00.000Z',
        '2027-03-28T07:15:00.000Z',
      ]);
      expect(
        starts(computeFreeSlots({ ...query, fromDate: '2027-10-30', toDate: '2027-10-31' })),
      ).toEqual([
        '2027-10-30T07:00:00.000Z',
        '2027-10-30T07:15:00.000Z',
        '2027-10-31T08:00:00.000Z',
        '2027-10-31T08:15:00.000Z',
      ]);
    });
  });

  it('rejects a non-positive grid and negative or fractional buffers', () => {
    const query = {
      ...base,
      rules: everyDay('09:00', '10:00'),
      timezone: 'UTC',
      fromDate: '2027-03-15',
      toDate: '2027-03-15',
      durationMinutes: 30,
    };
    expect(() => computeFreeSlots({ ...query, gridMinutes: 0 })).toThrow(RangeError);
    expect(() => computeFreeSlots({ ...query, bufferBeforeMinutes: -1 })).toThrow(RangeError);
    expect(() => computeFreeSlots({ ...query, bufferAfterMinutes: 1.5 })).toThrow(RangeError);
  });
});
