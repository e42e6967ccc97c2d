import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { isUuid, ValidationError } from '@app/common';
import { AppConfig } from '@app/config';
import { DoctorProfile, LIVE_APPOINTMENT_STATUSES, UserRole } from '@app/database';
import { DoctorNotFoundError } from '../scheduling.errors';
import { DAY_MS, MINUTE_MS, parseLocalDate } from './local-time';
import { computeFreeSlots, firstFreeSlot, Interval, SlotQuery, WeeklyRule } from './slot-engine';

/** Longest slot search, in local days, both ends included. */
export const MAX_SLOT_RANGE_DAYS = 31;
/** How far ahead `nextAvailableAt` looks, in local days after today. */
export const NEXT_AVAILABLE_LOOKAHEAD_DAYS = 14;

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
const BUSY_SQL = `
  SELECT doctor_id AS "doctorId", starts_at AS "startsAt", ends_at AS "endsAt"
    FROM appointments
   WHERE doctor_id = ANY($1) AND status = ANY($2::appointment_status[]) AND starts_at < $3 AND ends_at > $4
   ORDER BY starts_at`;

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

  /** Free slots between two local dates (inclusive) of the doctor's zone. */
  async freeSlots(doctorId: string, fromDate: string, toDate: string): Promise<Interval[]> {
    validateSlotRange(fromDate, toDate);
    const doctor = await this.getDoctorForBooking(doctorId);
    const now = new Date();
    const query = this.baseQuery(doctor, now, fromDate, toDate);
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
   * The doctor's slot starting exactly at `startsAt`, judged by weekly hours, the slot grid,
   * time off, minimum notice and horizon, or null. Appointments are not looked at (so
   * `ignoreAppointmentId` needs no handling): the database's exclusion constraint decides
   * whether the slot is still free. `manager` reads inside a caller's transaction (one that
   * holds the doctor's schedule lock).
   */
  async findBookableSlot(
    doctorOrId: string | DoctorProfile,
    startsAt: Date,
    options: { ignoreAppointmentId?: string; manager?: EntityManager } = {},
  ): Promise<Interval | null> {
    const db = options.manager ?? this.db;
    if (Number.isNaN(startsAt.getTime())) return null;
    const doctor =
      typeof doctorOrId === 'string' ? await this.getDoctorForBooking(doctorOrId) : doctorOrId;
    const local = DateTime.fromJSDate(startsAt, { zone: doctor.timezone });
    const date = local.toISODate();
    if (!date) return null;
    const end = new Date(startsAt.getTime() + doctor.slotDurationMinutes * MINUTE_MS);
    const [rules, timeOff]: [WeeklyRule[], IntervalRow[]] = await Promise.all([
      db.query(DAY_RULES_SQL, [doctor.userId, local.weekday % 7]),
      db.query(TIME_OFF_SQL, [[doctor.userId], end, startsAt]),
    ]);
    const slots = computeFreeSlots({
      ...this.baseQuery(doctor, new Date(), date, date),
      rules,
      timeOff: timeOff.map(toInterval),
      busy: [],
    });
    return slots.find((slot) => slot.start.getTime() === startsAt.getTime()) ?? null;
  }

  /**
   * The first free slot of each doctor within today and the next
   * NEXT_AVAILABLE_LOOKAHEAD_DAYS local days; three queries for the whole page.
   */
  async nextAvailableAt(doctors: DoctorProfile[]): Promise<Map<string, Date | null>> {
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
      const query = this.baseQuery(
        doctor,
        now,
        today.toISODate()!,
        today.plus({ days: NEXT_AVAILABLE_LOOKAHEAD_DAYS }).toISODate()!,
      );
      result.set(
        doctor.userId,
        firstFreeSlot({ ...query, ...intervals(doctor.userId) })?.start ?? null,
      );
    }
    return result;
  }

  private baseQuery(doctor: DoctorProfile, now: Date, fromDate: string, toDate: string): SlotQuery {
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
      durationMinutes: doctor.slotDurationMinutes,
    };
  }

  /** Weekly rules, time off and live appointments of some doctors over [from, to). */
  private async loadIntervals(
    doctorIds: string[],
    from: Date,
    to: Date,
  ): Promise<(doctorId: string) => DoctorIntervals> {
    const [rules, timeOff, busy]: [RuleRow[], IntervalRow[], IntervalRow[]] = await Promise.all([
      this.db.query(RULES_SQL, [doctorIds]),
      this.db.query(TIME_OFF_SQL, [doctorIds, to, from]),
      this.db.query(BUSY_SQL, [doctorIds, [...LIVE_APPOINTMENT_STATUSES], to, from]),
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
