import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { isUuid, ValidationError } from '@app/common';
import { AppConfig } from '@app/config';
import {
  DoctorProfile,
  LIVE_APPOINTMENT_STATUSES,
  UserRole,
  VisitMode,
  VisitType,
} from '@app/database';
import { DoctorNotFoundError } from '../scheduling.errors';
import { InvalidVisitTypeError } from '../visit-types/visit-type.errors';
import { DAY_MS, MINUTE_MS, parseLocalDate } from './local-time';
import { computeFreeSlots, firstFreeSlot, Interval, SlotQuery, WeeklyRule } from './slot-engine';

/** Longest slot search, in local days, both ends included. */
export const MAX_SLOT_RANGE_DAYS = 31;
/** How far ahead `nextAvailableAt` looks, in local days after today. */
export const NEXT_AVAILABLE_LOOKAHEAD_DAYS = 14;

/** Longest buffer a visit type may have: how far outside a range other bookings matter. */
const MAX_BUFFER_MS = 120 * MINUTE_MS;

/** Why a start cannot be booked: not a slot at all, or a slot an outside calendar keeps busy. */
export enum SlotRefusal {
  NotASlot = 'not_a_slot',
  Busy = 'busy',
}

export type SlotJudgement = { slot: Interval } | { slot: null; refusal: SlotRefusal };

/** What the slot engine and the directory need of an active visit type. */
export interface ActiveVisitType {
  id: string;
  doctorId: string;
  name: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  priceMinor: number;
  currency: string;
  mode: VisitMode;
}

interface DoctorIntervals {
  rules: WeeklyRule[];
  timeOff: Interval[];
  busy: Interval[];
}

// Plain SQL on the hot read paths: TypeORM's query building and entity mapping cost more
// CPU per request than the queries themselves (see BENCHMARKS.md).
const DOCTOR_FOR_BOOKING_SQL = `
  SELECT p.user_id AS "userId", p.bio, p.fee_minor AS "feeMinor", p.currency,
         p.slot_duration_minutes AS "slotDurationMinutes", p.timezone, p.active,
         p.created_at AS "createdAt", p.updated_at AS "updatedAt"
    FROM doctor_profiles p JOIN users u ON u.id = p.user_id
   WHERE p.user_id = $1 AND p.active AND u.deactivated_at IS NULL AND u.role = $2`;
const RULES_SQL = `
  SELECT doctor_id AS "doctorId", day_of_week AS "dayOfWeek", start_time AS "startTime", end_time AS "endTime"
    FROM availability_rules WHERE doctor_id = ANY($1)`;
const DAY_RULES_SQL = `
  SELECT day_of_week AS "dayOfWeek", start_time AS "startTime", end_time AS "endTime"
    FROM availability_rules WHERE doctor_id = $1 AND day_of_week = $2`;
const TIME_OFF_SQL = `
  SELECT doctor_id AS "doctorId", starts_at AS "startsAt", ends_at AS "endsAt"
    FROM time_off WHERE doctor_id = ANY($1) AND starts_at < $2 AND ends_at > $3`;
// Outside calendars' busy times (busy_intervals, from the worker's fetches) act like time off.
const BUSY_CALENDAR_SQL = `
  SELECT doctor_id AS "doctorId", starts_at AS "startsAt", ends_at AS "endsAt"
    FROM busy_intervals WHERE doctor_id = ANY($1) AND starts_at < $2 AND ends_at > $3`;
// Other bookings count by their blocked range (the visit with its buffers).
const BUSY_SQL = `
  SELECT doctor_id AS "doctorId", blocked_from AS "startsAt", blocked_to AS "endsAt"
    FROM appointments
   WHERE doctor_id = ANY($1) AND status = ANY($2::appointment_status[]) AND blocked_from < $3 AND blocked_to > $4
   ORDER BY blocked_from`;
const ACTIVE_VISIT_TYPES_SQL = `
  SELECT id, doctor_id AS "doctorId", name, duration_minutes AS "durationMinutes",
         buffer_before_minutes AS "bufferBeforeMinutes", buffer_after_minutes AS "bufferAfterMinutes",
         price_minor AS "priceMinor", currency, mode
    FROM visit_types WHERE doctor_id = ANY($1) AND active
   ORDER BY doctor_id, position, created_at, id`;

type RuleRow = WeeklyRule & { doctorId: string };
type IntervalRow = { doctorId: string; startsAt: Date; endsAt: Date };

/**
 * Reads what the slot engine needs from the database: one query per table for a whole
 * range (or a whole page of doctors), never one per day or per slot.
 */
@Injectable()
export class SlotService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** An active doctor whose account is in use; 404 otherwise (also for non-doctor ids). */
  async getDoctorForBooking(doctorId: string): Promise<DoctorProfile> {
    const rows: DoctorProfile[] = isUuid(doctorId)
      ? await this.db.query(DOCTOR_FOR_BOOKING_SQL, [doctorId, UserRole.Doctor])
      : [];
    if (rows.length === 0) throw new DoctorNotFoundError();
    return Object.assign(new DoctorProfile(), rows[0]);
  }

  /**
   * An active visit type of the doctor (the first active one when no id is given), or 422
   * INVALID_VISIT_TYPE for another doctor's, an archived or an unknown type.
   */
  async visitTypeForBooking(
    doctorId: string,
    visitTypeId?: string,
    manager?: EntityManager,
  ): Promise<VisitType> {
    if (visitTypeId !== undefined && !isUuid(visitTypeId)) throw new InvalidVisitTypeError();
    const type = await (manager ?? this.db.manager).getRepository(VisitType).findOne({
      where: { doctorId, active: true, ...(visitTypeId ? { id: visitTypeId } : {}) },
      order: { position: 'ASC', createdAt: 'ASC', id: 'ASC' },
    });
    if (!type) throw new InvalidVisitTypeError();
    return type;
  }

  /** An active visit type by its id alone (a FHIR Schedule or Slot names only that), or null. */
  activeVisitType(visitTypeId: string): Promise<VisitType | null> {
    if (!isUuid(visitTypeId)) return Promise.resolve(null);
    return this.db.getRepository(VisitType).findOne({ where: { id: visitTypeId, active: true } });
  }

  /** Active visit types of some doctors, each doctor's in booking order; one query. */
  async activeVisitTypes(doctorIds: string[]): Promise<Map<string, ActiveVisitType[]>> {
    const rows: ActiveVisitType[] = doctorIds.length
      ? await this.db.query(ACTIVE_VISIT_TYPES_SQL, [doctorIds])
      : [];
    const byDoctor = new Map<string, ActiveVisitType[]>();
    for (const row of rows) {
      const list = byDoctor.get(row.doctorId) ?? [];
      list.push(row);
      byDoctor.set(row.doctorId, list);
    }
    return byDoctor;
  }

  /** Free slots of one visit type between two local dates (inclusive) of the doctor's zone. */
  async freeSlots(
    doctorId: string,
    fromDate: string,
    toDate: string,
    visitTypeId?: string,
  ): Promise<{ visitType: VisitType; slots: Interval[] }> {
    validateSlotRange(fromDate, toDate);
    const doctor = await this.getDoctorForBooking(doctorId);
    const visitType = await this.visitTypeForBooking(doctor.userId, visitTypeId);
    return { visitType, slots: await this.computeSlots(doctor, visitType, fromDate, toDate) };
  }

  /**
   * Free slots of an active visit type (of a listed doctor) starting in [from, to): the same
   * starts as `freeSlots` over the local dates that range covers. Null for an unknown or
   * archived type or an unlisted doctor. The caller bounds the range.
   */
  async freeSlotsOfType(
    visitTypeId: string,
    from: Date,
    to: Date,
  ): Promise<{ visitType: VisitType; slots: Interval[] } | null> {
    const visitType = await this.activeVisitType(visitTypeId);
    if (!visitType) return null;
    const doctor = await this.getDoctorForBooking(visitType.doctorId).catch((error: unknown) => {
      if (error instanceof DoctorNotFoundError) return null;
      throw error;
    });
    if (!doctor) return null;
    const localDate = (ms: number) =>
      DateTime.fromMillis(ms, { zone: doctor.timezone }).toISODate()!;
    const slots = await this.computeSlots(
      doctor,
      visitType,
      localDate(from.getTime()),
      localDate(to.getTime() - 1),
    );
    const inRange = slots.filter((slot) => slot.start >= from && slot.start < to);
    return { visitType, slots: inRange };
  }

  private async computeSlots(
    doctor: DoctorProfile,
    visitType: VisitType,
    fromDate: string,
    toDate: string,
  ): Promise<Interval[]> {
    const now = new Date();
    const query = this.baseQuery(doctor, visitType, now, fromDate, toDate);
    const earliest = now.getTime() + query.minNoticeMinutes * MINUTE_MS;
    const latest = now.getTime() + query.horizonDays * DAY_MS + query.durationMinutes * MINUTE_MS;
    // A local date lies within a day of the same UTC date.
    const from = Math.max(earliest, (parseLocalDate(fromDate) - 1) * DAY_MS);
    const to = Math.min(latest, (parseLocalDate(toDate) + 2) * DAY_MS);
    if (from >= to) return [];
    const intervals = await this.loadIntervals([doctor.userId], new Date(from), new Date(to));
    return computeFreeSlots({ ...query, ...intervals(doctor.userId) });
  }

  /**
   * The visit of `visitType` starting exactly at `startsAt`, judged by weekly hours, the
   * doctor's grid, time off, busy calendars, minimum notice and horizon, or null.
   * Appointments are not looked at: the database's exclusion constraint over blocked ranges
   * decides whether the time is still free. `manager` reads inside a caller's transaction
   * (one that holds the doctor's schedule lock).
   */
  async findBookableSlot(
    doctor: DoctorProfile,
    visitType: Pick<VisitType, 'durationMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>,
    startsAt: Date,
    options: { manager?: EntityManager } = {},
  ): Promise<Interval | null> {
    return (await this.judgeStart(doctor, visitType, startsAt, options)).slot;
  }

  /**
   * Like `findBookableSlot`, telling why a start is refused: a start on the grid and inside
   * the hours that only an outside calendar's busy time keeps from being free is `Busy`
   * (taken: 409 SLOT_TAKEN), anything else `NotASlot` (422).
   */
  async judgeStart(
    doctor: DoctorProfile,
    visitType: Pick<VisitType, 'durationMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>,
    startsAt: Date,
    options: { manager?: EntityManager } = {},
  ): Promise<SlotJudgement> {
    const refused = (refusal: SlotRefusal) => ({ slot: null, refusal }) as const;
    const db = options.manager ?? this.db;
    if (Number.isNaN(startsAt.getTime())) return refused(SlotRefusal.NotASlot);
    const local = DateTime.fromJSDate(startsAt, { zone: doctor.timezone });
    const date = local.toISODate();
    if (!date) return refused(SlotRefusal.NotASlot);
    const end = new Date(startsAt.getTime() + visitType.durationMinutes * MINUTE_MS);
    const [rules, timeOff, busy]: [WeeklyRule[], IntervalRow[], IntervalRow[]] = await Promise.all([
      db.query(DAY_RULES_SQL, [doctor.userId, local.weekday % 7]),
      db.query(TIME_OFF_SQL, [[doctor.userId], end, startsAt]),
      db.query(BUSY_CALENDAR_SQL, [[doctor.userId], end, startsAt]),
    ]);
    const slots = computeFreeSlots({
      ...this.baseQuery(doctor, visitType, new Date(), date, date),
      rules,
      timeOff: timeOff.map(toInterval),
      busy: [],
    });
    const slot = slots.find((s) => s.start.getTime() === startsAt.getTime());
    if (!slot) return refused(SlotRefusal.NotASlot);
    // Busy rows were read for the visit's own range: any row means the visit overlaps one.
    return busy.length > 0 ? refused(SlotRefusal.Busy) : { slot };
  }

  /**
   * The earliest free start of any active visit type of each doctor within today and the
   * next NEXT_AVAILABLE_LOOKAHEAD_DAYS local days; three queries for the whole page (the
   * types come from `activeVisitTypes`).
   */
  async nextAvailableAt(
    doctors: DoctorProfile[],
    typesByDoctor: Map<string, ActiveVisitType[]>,
  ): Promise<Map<string, Date | null>> {
    const result = new Map<string, Date | null>();
    if (doctors.length === 0) return result;
    const now = new Date();
    const until = new Date(now.getTime() + (NEXT_AVAILABLE_LOOKAHEAD_DAYS + 2) * DAY_MS);
    const intervals = await this.loadIntervals(
      doctors.map((doctor) => doctor.userId),
      now,
      until,
    );
    for (const doctor of doctors) {
      const today = DateTime.fromJSDate(now, { zone: doctor.timezone });
      const fromDate = today.toISODate()!;
      const toDate = today.plus({ days: NEXT_AVAILABLE_LOOKAHEAD_DAYS }).toISODate()!;
      let earliest: Date | null = null;
      for (const type of typesByDoctor.get(doctor.userId) ?? []) {
        const query = this.baseQuery(doctor, type, now, fromDate, toDate);
        const first = firstFreeSlot({ ...query, ...intervals(doctor.userId) })?.start;
        if (first && (!earliest || first < earliest)) earliest = first;
      }
      result.set(doctor.userId, earliest);
    }
    return result;
  }

  private baseQuery(
    doctor: DoctorProfile,
    visitType: Pick<VisitType, 'durationMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>,
    now: Date,
    fromDate: string,
    toDate: string,
  ): SlotQuery {
    return {
      rules: [],
      timeOff: [],
      busy: [],
      timezone: doctor.timezone,
      fromDate,
      toDate,
      now,
      minNoticeMinutes: this.config.booking.minNoticeMinutes,
      horizonDays: this.config.booking.horizonDays,
      gridMinutes: doctor.slotDurationMinutes,
      durationMinutes: visitType.durationMinutes,
      bufferBeforeMinutes: visitType.bufferBeforeMinutes,
      bufferAfterMinutes: visitType.bufferAfterMinutes,
    };
  }

  /** Weekly rules, time off (with busy calendars) and live appointments of some doctors over [from, to). */
  private async loadIntervals(
    doctorIds: string[],
    from: Date,
    to: Date,
  ): Promise<(doctorId: string) => DoctorIntervals> {
    const [rules, timeOff, busyCalendars, busy]: [
      RuleRow[],
      IntervalRow[],
      IntervalRow[],
      IntervalRow[],
    ] = await Promise.all([
      this.db.query(RULES_SQL, [doctorIds]),
      this.db.query(TIME_OFF_SQL, [doctorIds, to, from]),
      this.db.query(BUSY_CALENDAR_SQL, [doctorIds, to, from]),
      this.db.query(BUSY_SQL, [
        doctorIds,
        [...LIVE_APPOINTMENT_STATUSES],
        new Date(to.getTime() + MAX_BUFFER_MS),
        new Date(from.getTime() - MAX_BUFFER_MS),
      ]),
    ]);
    const grouped = new Map<string, DoctorIntervals>();
    const of = (doctorId: string): DoctorIntervals => {
      let entry = grouped.get(doctorId);
      if (!entry) {
        entry = { rules: [], timeOff: [], busy: [] };
        grouped.set(doctorId, entry);
      }
      return entry;
    };
    for (const rule of rules) of(rule.doctorId).rules.push(rule);
    for (const row of timeOff) of(row.doctorId).timeOff.push(toInterval(row));
    for (const row of busyCalendars) of(row.doctorId).timeOff.push(toInterval(row));
    for (const row of busy) of(row.doctorId).busy.push(toInterval(row));
    return of;
  }
}

function toInterval(row: { startsAt: Date; endsAt: Date }): Interval {
  return { start: row.startsAt, end: row.endsAt };
}

/** `from`/`to` are real dates, in order, at most MAX_SLOT_RANGE_DAYS days apart (inclusive). */
export function validateSlotRange(fromDate: string, toDate: string): void {
  const from = parseLocalDate(fromDate);
  const to = parseLocalDate(toDate);
  const errors = [
    ...(Number.isNaN(from) ? [{ field: 'from', message: 'from must be a date YYYY-MM-DD' }] : []),
    ...(Number.isNaN(to) ? [{ field: 'to', message: 'to must be a date YYYY-MM-DD' }] : []),
  ];
  if (errors.length === 0 && to < from)
    errors.push({ field: 'to', message: 'to must not be before from' });
  if (errors.length === 0 && to - from + 1 > MAX_SLOT_RANGE_DAYS) {
    errors.push({
      field: 'to',
      message: `the range may cover at most ${MAX_SLOT_RANGE_DAYS} days`,
    });
  }
  if (errors.length > 0) throw new ValidationError(errors.map((e) => e.message).join('; '), errors);
}
