import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { NotFoundError, ValidationError } from '@app/common';
import { AppConfig } from '@app/config';
import { WaitlistEntry } from '@app/database';
import { postgresError, WaitlistDuplicateError } from '../scheduling.errors';
import { SlotService } from '../slots/slot.service';

export interface JoinWaitlistInput {
  doctorId: string;
  from: string;
  to: string;
}

/** A waitlist entry that matched a freed slot. */
export interface WaitlistMatch {
  id: string;
  patientId: string;
}

const MAX_ACTIVE_ENTRIES = 20;
const WAITLIST_UNIQUE = 'waitlist_entries_active_unique';

// Waitlist ranges are dates in the doctor's zone; compare in that zone.
const CLAIM_MATCHES_SQL = `
  UPDATE waitlist_entries w SET last_notified_at = now()
    FROM users u, doctor_profiles d
   WHERE u.id = w.patient_id AND d.user_id = w.doctor_id
     AND w.doctor_id = $1 AND w.active AND u.deactivated_at IS NULL
     AND w.from_date <= (($3::timestamptz) AT TIME ZONE d.timezone)::date
     AND w.to_date >= (($2::timestamptz) AT TIME ZONE d.timezone)::date
  RETURNING w.id, w.patient_id AS "patientId"`;

/** Patients wait for a doctor's slot in a date range; the worker tells them when one frees. */
@Injectable()
export class WaitlistService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly slots: SlotService,
    private readonly config: AppConfig,
  ) {}

  async join(patient: AuthUser, input: JoinWaitlistInput): Promise<WaitlistEntry> {
    const doctor = await this.slots.getDoctorForBooking(input.doctorId);
    const from = DateTime.fromISO(input.from, { zone: doctor.timezone });
    const to = DateTime.fromISO(input.to, { zone: doctor.timezone });
    if (to < from) throw ValidationError.field('to', 'to must not be before from');
    const today = DateTime.now().setZone(doctor.timezone).startOf('day');
    if (to < today) throw ValidationError.field('to', 'to must not be in the past');
    if (to.diff(today, 'days').days > this.config.booking.horizonDays) {
      throw ValidationError.field(
        'to',
        `to must be within ${this.config.booking.horizonDays} days`,
      );
    }
    const repo = this.db.getRepository(WaitlistEntry);
    const active = await repo.count({ where: { patientId: patient.id, active: true } });
    if (active >= MAX_ACTIVE_ENTRIES) {
      throw ValidationError.field(
        'doctorId',
        `at most ${MAX_ACTIVE_ENTRIES} active waitlist entries`,
      );
    }
    try {
      return await repo.save(
        repo.create({
          patientId: patient.id,
          doctorId: doctor.userId,
          fromDate: input.from,
          toDate: input.to,
          active: true,
        }),
      );
    } catch (error) {
      const pg = postgresError(error);
      if (pg?.code === '23505' && pg.constraint === WAITLIST_UNIQUE) {
        throw new WaitlistDuplicateError();
      }
      throw error;
    }
  }

  async list(patient: AuthUser): Promise<WaitlistEntry[]> {
    return this.db.getRepository(WaitlistEntry).find({
      where: { patientId: patient.id, active: true },
      order: { fromDate: 'ASC', createdAt: 'ASC' },
    });
  }

  /**
   * The active entries of active patients whose range covers a freed slot of the doctor,
   * marked as notified now. Entries stay active: every later freed slot matches them again.
   */
  async claimMatches(doctorId: string, startsAt: string, endsAt: string): Promise<WaitlistMatch[]> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [rows]: [WaitlistMatch[], number] = await this.db.query(CLAIM_MATCHES_SQL, [
      doctorId,
      startsAt,
      endsAt,
    ]);
    return rows;
  }

  async leave(patient: AuthUser, id: string): Promise<void> {
    const result = await this.db
      .getRepository(WaitlistEntry)
      .update({ id, patientId: patient.id, active: true }, { active: false });
    if (!result.affected) throw new NotFoundError('Waitlist entry');
  }
}
