import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThan } from 'typeorm';
import { FieldError, isUuid, NotFoundError, ValidationError } from '@app/common';
import { Appointment, AppointmentStatus, LIVE_APPOINTMENT_STATUSES, TimeOff } from '@app/database';
import { EventType, recordEvents } from '@app/queues';
import { lockDoctorSchedule, ScheduleLock } from './doctor-schedule-lock';

export interface CreateTimeOffInput {
  startsAt: Date;
  endsAt: Date;
  reason?: string | null;
}

/** A live appointment that falls inside new time off: the doctor decides what to do. */
export interface AffectedAppointment {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: AppointmentStatus;
  patient: { id: string; firstName: string; lastName: string };
}

export interface TimeOffView {
  id: string;
  startsAt: Date;
  endsAt: Date;
  reason: string | null;
  createdAt: Date;
}

export interface TimeOffCreated {
  timeOff: TimeOffView;
  affectedAppointments: AffectedAppointment[];
}

/** Time off blocks slots; existing appointments inside it are reported, never dropped silently. */
@Injectable()
export class TimeOffService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(doctorId: string, input: CreateTimeOffInput): Promise<TimeOffCreated> {
    validateRange(input);
    return this.db.transaction(async (manager) => {
      // Waits for bookings in flight, so the query below sees every one that got in.
      await lockDoctorSchedule(manager, doctorId, ScheduleLock.Change);
      const repo = manager.getRepository(TimeOff);
      const timeOff = await repo.save(
        repo.create({
          doctorId,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          reason: input.reason?.trim() || null,
        }),
      );
      const appointments = await manager
        .getRepository(Appointment)
        .createQueryBuilder('a')
        .innerJoinAndSelect('a.patient', 'patient')
        .where('a.doctorId = :doctorId', { doctorId })
        .andWhere('a.status IN (:...live)', { live: LIVE_APPOINTMENT_STATUSES })
        .andWhere('a.startsAt < :endsAt AND a.endsAt > :startsAt', {
          startsAt: input.startsAt,
          endsAt: input.endsAt,
        })
        .orderBy('a.startsAt', 'ASC')
        .getMany();
      return {
        timeOff: toView(timeOff),
        affectedAppointments: appointments.map((a) => ({
          id: a.id,
          startsAt: a.startsAt,
          endsAt: a.endsAt,
          status: a.status,
          patient: {
            id: a.patient!.id,
            firstName: a.patient!.firstName,
            lastName: a.patient!.lastName,
          },
        })),
      };
    });
  }

  /** Current and upcoming time off, soonest first. */
  async list(doctorId: string): Promise<TimeOffView[]> {
    const rows = await this.db.getRepository(TimeOff).find({
      where: { doctorId, endsAt: MoreThan(new Date()) },
      order: { startsAt: 'ASC', endsAt: 'ASC' },
    });
    return rows.map(toView);
  }

  /** Removes the caller's time off; the freed future part is announced as SlotFreed. */
  async remove(doctorId: string, id: string): Promise<void> {
    if (!isUuid(id)) throw new NotFoundError('Time off');
    await this.db.transaction(async (manager) => {
      const repo = manager.getRepository(TimeOff);
      const timeOff = await repo.findOne({
        where: { id, doctorId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!timeOff) throw new NotFoundError('Time off');
      await repo.delete({ id, doctorId });
      const now = new Date();
      if (timeOff.endsAt > now) {
        const startsAt = timeOff.startsAt > now ? timeOff.startsAt : now;
        await recordEvents(manager, [
          {
            type: EventType.SlotFreed,
            payload: {
              doctorId,
              startsAt: startsAt.toISOString(),
              endsAt: timeOff.endsAt.toISOString(),
            },
          },
        ]);
      }
    });
  }
}

function toView(timeOff: TimeOff): TimeOffView {
  const { id, startsAt, endsAt, reason, createdAt } = timeOff;
  return { id, startsAt, endsAt, reason, createdAt };
}

function validateRange(input: CreateTimeOffInput): void {
  const errors: FieldError[] = [];
  const startsAt = input.startsAt.getTime();
  const endsAt = input.endsAt.getTime();
  if (Number.isNaN(startsAt))
    errors.push({ field: 'startsAt', message: 'startsAt must be an ISO 8601 instant' });
  if (Number.isNaN(endsAt))
    errors.push({ field: 'endsAt', message: 'endsAt must be an ISO 8601 instant' });
  if (errors.length === 0 && endsAt <= startsAt)
    errors.push({ field: 'endsAt', message: 'endsAt must be after startsAt' });
  if (errors.length === 0 && endsAt <= Date.now())
    errors.push({ field: 'endsAt', message: 'endsAt must be in the future' });
  if (errors.length > 0) throw new ValidationError(errors.map((e) => e.message).join('; '), errors);
}
