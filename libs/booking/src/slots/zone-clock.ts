import { IANAZone } from 'luxon';
import { DAY_MS, MINUTE_MS } from './local-time';

const SAMPLE_STRIDE_MS = 7 * DAY_MS;

/**
 * A time zone's UTC offsets over a span of instants, found with a handful of lookups:
 * offsets are sampled weekly and each change is located by bisection to the minute.
 * Every zone in use keeps an offset for more than a week and changes it on a whole
 * minute, so nothing is missed. "Local" values are wall-clock times written as epoch
 * milliseconds of the same wall-clock reading in UTC.
 */
export class ZoneClock {
  /** Instants at which the offset changes, ascending. */
  private readonly transitions: number[] = [];
  /** offsets[i] holds between transitions[i - 1] and transitions[i], in milliseconds. */
  private readonly offsets: number[] = [];
  private readonly offsetAt: (instant: number) => number;

  constructor(zoneName: string, spanStart: number, spanEnd: number) {
    const zone = IANAZone.create(zoneName);
    if (!zone.isValid) throw new RangeError(`Unknown time zone: ${zoneName}`);
    this.offsetAt = (instant) => Math.round(zone.offset(instant) * MINUTE_MS);
    let a = Math.floor(spanStart / MINUTE_MS) * MINUTE_MS;
    const end = Math.max(a, Math.ceil(spanEnd / MINUTE_MS) * MINUTE_MS);
    let oa = this.offsetAt(a);
    this.offsets.push(oa);
    while (a < end) {
      const b = Math.min(a + SAMPLE_STRIDE_MS, end);
      const ob = this.offsetAt(b);
      if (ob !== oa) this.locate(a, oa, b, ob);
      a = b;
      oa = ob;
    }
  }

  /** The offset if it does not change over the span. */
  get fixedOffset(): number | undefined {
    return this.transitions.length === 0 ? this.offsets[0] : undefined;
  }

  /**
   * Index of the offset period holding the first instant whose wall clock reads `local`,
   * or -1 when the clock skips that reading (spring forward).
   */
  periodOf(local: number): number {
    const last = this.transitions.length;
    for (let i = 0; i <= last; i++) {
      const instant = local - this.offsets[i];
      if (
        (i === 0 || instant >= this.transitions[i - 1]) &&
        (i === last || instant < this.transitions[i])
      ) {
        return i;
      }
    }
    return -1;
  }

  /** The first instant whose wall clock reads `local`; NaN when the clock skips it. */
  toInstant(local: number): number {
    const period = this.periodOf(local);
    return period < 0 ? NaN : local - this.offsets[period];
  }

  /** The first instant whose wall clock reads `local` or later: the jump itself inside a gap. */
  reach(local: number): number {
    const period = this.periodOf(local);
    if (period >= 0) return local - this.offsets[period];
    for (let i = 0; i < this.transitions.length; i++) {
      const at = this.transitions[i];
      if (local >= at + this.offsets[i] && local < at + this.offsets[i + 1]) return at;
    }
    return NaN;
  }

  /** Offset of a period, in milliseconds. */
  offsetOf(period: number): number {
    return this.offsets[period];
  }

  /** Narrows a change between a and b down to the minute; recurses if there are two. */
  private locate(a: number, oa: number, b: number, ob: number): void {
    while (b - a > MINUTE_MS) {
      const middle = a + Math.floor((b - a) / 2 / MINUTE_MS) * MINUTE_MS;
      const om = this.offsetAt(middle);
      if (om === oa) {
        a = middle;
      } else if (om === ob) {
        b = middle;
      } else {
        this.locate(a, oa, middle, om);
        this.locate(middle, om, b, ob);
        return;
      }
    }
    this.transitions.push(b);
    this.offsets.push(ob);
  }
}
