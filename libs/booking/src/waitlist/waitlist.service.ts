import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { NotFoundError, ValidationError } from '@app/common';
import { AppConfig } from '@app/config';
import { WaitlistEntry } from '@app/database';
import { SlotService } from '../slots/slot.service';

export interface JoinWaitlistInput {
  doctorId: string;
  from: string;
  to: string;
}

const MAX_ACTIVE_ENTRIES = 20;

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
    return repo.save(
      repo.create({
        patientId: patient.id,
        doctorId: doctor.userId,
        fromDate: input.from,
        toDate: input.to,
        active: true,
      }),
    );
  }

  async list(patient: AuthUser): Promise<WaitlistEntry[]> {
    return this.db.getRepository(WaitlistEntry).find({
      where: { patientId: patient.id, active: true },
      order: { fromDate: 'ASC', createdAt: 'ASC' },
    });
  }

  async leave(patient: AuthUser, id: string): Promise<void> {
    const result = await this.db
      .getRepository(WaitlistEntry)
      .update({ id, patientId: patient.id, active: true }, { active: false });
    if (!result.affected) throw new NotFoundError('Waitlist entry');
  }
}
