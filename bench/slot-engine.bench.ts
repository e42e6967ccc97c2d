import { computeFreeSlots, Interval, SlotQuery, WeeklyRule } from '@app/booking/slots/slot-engine';

const MINUTE = 60_000;

/** Deterministic pseudo-random numbers, so every run measures the same work. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A busy doctor over 30 days in New York (the range crosses the spring-forward change):
 * weekdays 08:00–12:00 and 13:00–18:00, Saturday 09:00–13:00, 15-minute slots,
 * 300 booked slots and a few stretches of time off.
 */
export function benchQuery(): SlotQuery {
  const rules: WeeklyRule[] = [];
  for (let day = 1; day <= 5; day++) {
    rules.push({ dayOfWeek: day, startTime: '08:00', endTime: '12:00' });
    rules.push({ dayOfWeek: day, startTime: '13:00', endTime: '18:00' });
  }
  rules.push({ dayOfWeek: 6, startTime: '09:00', endTime: '13:00' });
  const next = random(42);
  const from = Date.parse('2027-03-01T13:00:00Z');
  const busy: Interval[] = [];
  for (let i = 0; i < 300; i++) {
    const start = from + Math.floor(next() * 30 * 24 * 4) * 15 * MINUTE;
    busy.push({
      start: new Date(start),
      end: new Date(start + 15 * MINUTE * (1 + Math.floor(next() * 2))),
    });
  }
  const timeOff: Interval[] = [
    { start: new Date('2027-03-05T00:00:00Z'), end: new Date('2027-03-06T00:00:00Z') },
    { start: new Date('2027-03-17T15:00:00Z'), end: new Date('2027-03-17T19:30:00Z') },
    { start: new Date('2027-03-24T12:00:00Z'), end: new Date('2027-03-26T12:00:00Z') },
  ];
  return {
    rules,
    timeOff,
    busy,
    timezone: 'America/New_York',
    fromDate: '2027-03-01',
    toDate: '2027-03-30',
    now: new Date('2027-02-28T12:00:00Z'),
    minNoticeMinutes: 60,
    horizonDays: 90,
    durationMinutes: 15,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Median and p99 wall time of computeFreeSlots for the scenario above, in milliseconds. */
export function benchSlotEngine(runs = 2000): { medianMs: number; p99Ms: number; slots: number } {
  const query = benchQuery();
  let slots = 0;
  for (let i = 0; i < 200; i++) slots = computeFreeSlots(query).length;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    computeFreeSlots(query);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { medianMs: percentile(times, 50), p99Ms: percentile(times, 99), slots };
}

if (require.main === module) {
  const { medianMs, p99Ms, slots } = benchSlotEngine();
  console.log(
    `slot engine: 30 days, 15-minute slots, 300 busy: ${slots} free slots; ` +
      `median ${medianMs.toFixed(3)} ms, p99 ${p99Ms.toFixed(3)} ms (2000 runs)`,
  );
}
