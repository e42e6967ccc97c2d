import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FieldError, ValidationError } from '@app/common';
import { AppConfig } from '@app/config';
import { AvailabilityRule, DoctorProfile } from '@app/database';
import { EventType, recordEvents } from '@app/queues';
import { DoctorNotFoundError, postgresError } from '../scheduling.errors';
import { DAY_MS, formatTimeOfDay, parseTimeOfDay } from '../slots/local-time';
import { WeeklyRule } from '../slots/slot-engine';

/** A doctor's week: rules in wall-clock time of `timezone`. */
export interface WeeklyAvailability {
  timezone: string;
  rules: WeeklyRule[];
}

const HH_MM = /^\d{2}:\d{2}$/;

/** Weekly hours: read, and replaced as a whole week in one transaction. */
@Injectable()
export class AvailabilityService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  async get(doctorId: string): Promise<WeeklyAvailability> {
    const profile = await this.db
      .getRepository(DoctorProfile)
      .findOne({ where: { userId: doctorId } });
    if (!profile) throw new DoctorNotFoundError();
    const rules = await this.db.getRepository(AvailabilityRule).find({ where: { doctorId } });
    return { timezone: profile.timezone, rules: present(rules) };
  }

  /**
   * Replaces the week. When the new week adds hours, a SlotFreed event covering now to
   * the booking horizon tells the waitlist to look again.
   */
  async replace(doctorId: string, rules: WeeklyRule[]): Promise<WeeklyAvailability> {
    validateWeek(rules);
    try {
      return await this.db.transaction(async (manager) => {
        // The profile lock serialises concurrent replacements of the same week.
        const profile = await manager.getRepository(DoctorProfile).findOne({
          where: { userId: doctorId },
          lock: { mode: 'pessimistic_write' },
        });
        if (!profile) throw new DoctorNotFoundError();
        const repo = manager.getRepository(AvailabilityRule);
        const previous = await repo.find({ where: { doctorId } });
        await repo.delete({ doctorId });
        const saved = rules.map(({ dayOfWeek, startTime, endTime }) =>
          repo.create({ doctorId, dayOfWeek, startTime, endTime }),
        );
        if (saved.length > 0) await repo.insert(saved);
        if (addsHours(previous, rules)) {
          const now = Date.now();
          await recordEvents(manager, [
            {
              type: EventType.SlotFreed,
              payload: {
                doctorId,
                startsAt: new Date(now).toISOString(),
                endsAt: new Date(now + this.config.booking.horizonDays * DAY_MS).toISOString(),
              },
            },
          ]);
        }
        return { timezone: profile.timezone, rules: present(saved) };
      });
    } catch (error) {
      const code = postgresError(error)?.code;
      // The database keeps the same invariants; a race past the checks above lands here.
      if (code === '23P01')
        throw ValidationError.field('rules', 'rules of the same day must not overlap');
      if (code === '23514')
        throw ValidationError.field('rules', 'each rule must end after it starts');
      throw error;
    }
  }
}

/** HH:MM times, end after start ('24:00' allowed as end), no two rules of a day overlapping. */
export function validateWeek(rules: WeeklyRule[]): void {
  const errors: FieldError[] = [];
  const byDay = new Map<number, { index: number; start: number; end: number }[]>();
  rules.forEach((rule, index) => {
    const field = `rules.${index}`;
    const start = HH_MM.test(rule.startTime) ? parseTimeOfDay(rule.startTime) : NaN;
    const end = HH_MM.test(rule.endTime) ? parseTimeOfDay(rule.endTime) : NaN;
    if (!Number.isInteger(rule.dayOfWeek) || rule.dayOfWeek < 0 || rule.dayOfWeek > 6) {
      errors.push({
        field: `${field}.dayOfWeek`,
        message: 'dayOfWeek must be 0 (Sunday) to 6 (Saturday)',
      });
    }
    if (Number.isNaN(start) || start >= DAY_MS) {
      errors.push({
        field: `${field}.startTime`,
        message: 'startTime must be HH:MM from 00:00 to 23:59',
      });
    }
    if (Number.isNaN(end)) {
      errors.push({
        field: `${field}.endTime`,
        message: 'endTime must be HH:MM from 00:01 to 24:00',
      });
    }
    if (start < DAY_MS && end <= start) {
      errors.push({ field: `${field}.endTime`, message: 'endTime must be after startTime' });
    }
    if (start < end)
      byDay.set(rule.dayOfWeek, [...(byDay.get(rule.dayOfWeek) ?? []), { index, start, end }]);
  });
  for (const windows of byDay.values()) {
    windows.sort((a, b) => a.start - b.start);
    let reach = windows[0];
    for (const window of windows.slice(1)) {
      if (window.start < reach.end) {
        errors.push({
          field: `rules.${window.index}`,
          message: `rules.${window.index} overlaps rules.${reach.index} on the same day`,
        });
      }
      if (window.end > reach.end) reach = window;
    }
  }
  if (errors.length > 0) throw new ValidationError(errors.map((e) => e.message).join('; '), errors);
}

function present(rules: { dayOfWeek: number; startTime: string; endTime: string }[]): WeeklyRule[] {
  return rules
    .map((rule) => ({
      dayOfWeek: rule.dayOfWeek,
      startTime: formatTimeOfDay(parseTimeOfDay(rule.startTime)),
      endTime: formatTimeOfDay(parseTimeOfDay(rule.endTime)),
    }))
    .sort((a, b) => a.dayOfWeek - b.dayOfWeek || a.startTime.localeCompare(b.startTime));
}

/** True when some new window is not inside an old one of the same day. */
function addsHours(previous: WeeklyRule[], next: WeeklyRule[]): boolean {
  return next.some((rule) => {
    const start = parseTimeOfDay(rule.startTime);
    const end = parseTimeOfDay(rule.endTime);
    return !previous.some(
      (old) =>
        old.dayOfWeek === rule.dayOfWeek &&
        parseTimeOfDay(old.startTime) <= start &&
        parseTimeOfDay(old.endTime) >= end,
    );
  });
}
