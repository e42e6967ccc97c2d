import fc from 'fast-check';
import { formatInstant } from './local-time';

describe(formatInstant.name, () => {
  it('writes what toISOString writes, for any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(formatInstant(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
  });

  it('writes a run of nearby instants, crossing midnight, like toISOString', () => {
    const start = Date.UTC(2027, 2, 14, 22, 0, 0, 7);
    for (let ms = start; ms < start + 4 * 3_600_000; ms += 15 * 60_000 + 1) {
      expect(formatInstant(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('rejects an invalid instant as toISOString does', () => {
    expect(() => formatInstant(NaN)).toThrow(RangeError);
  });
});
