import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  And,
  DataSource,
  EntityManager,
  FindOptionsWhere,
  LessThan,
  MoreThanOrEqual,
} from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Appointment, AppointmentStatus } from '@app/database';
import { visibleTo } from './appointment-scope';
import { AppointmentNotFoundError } from './booking.errors';

export interface AppointmentFilter {
  status?: AppointmentStatus;
  from?: Date;
  to?: Date;
  page: number;
  limit: number;
}

const WITH_PEOPLE = { doctor: true, patient: true } as const;

// Walks rescheduled_from_id back to the booking the patient first made.
const RESCHEDULE_CHAIN_SQL = `
  WITH RECURSIVE chain AS (
    SELECT id, rescheduled_from_id, starts_at, 0 AS depth FROM appointments WHERE id = $1
    UNION ALL
    SELECT a.id, a.rescheduled_from_id, a.starts_at, chain.depth + 1
      FROM appointments a JOIN chain ON a.id = chain.rescheduled_from_id
  )
  SELECT id, starts_at AS "startsAt" FROM chain ORDER BY depth DESC`;

/** One appointment of a reschedule chain. */
export interface ChainLink {
  id: string;
  startsAt: Date;
}

/**
 * The reschedule chain that ends at `appointmentId`, first appointment first (just the
 * appointment itself when it was never rescheduled; empty when it does not exist).
 */
export function rescheduleChain(
  db: DataSource | EntityManager,
  appointmentId: string,
): Promise<ChainLink[]> {
  return db.query(RESCHEDULE_CHAIN_SQL, [appointmentId]);
}

@Injectable()
export class AppointmentQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  // find() rather than findOne(): with relations, findOne's LIMIT makes TypeORM run an
  // extra DISTINCT query first; an id matches one row anyway.
  async get(actor: AuthUser, id: string): Promise<Appointment> {
    const [appointment] = await this.db.getRepository(Appointment).find({
      where: visibleTo(actor, { id }),
      relations: WITH_PEOPLE,
    });
    if (!appointment) throw new AppointmentNotFoundError();
    return appointment;
  }

  /** Loads an appointment the caller just changed, with the people it shows. */
  async reload(id: string): Promise<Appointment> {
    const [appointment] = await this.db
      .getRepository(Appointment)
      .find({ where: { id }, relations: WITH_PEOPLE });
    if (!appointment) throw new AppointmentNotFoundError();
    return appointment;
  }

  async list(actor: AuthUser, filter: AppointmentFilter): Promise<[Appointment[], number]> {
    const where: FindOptionsWhere<Appointment> = {};
    if (filter.status) where.status = filter.status;
    if (filter.from && filter.to)
      where.startsAt = And(MoreThanOrEqual(filter.from), LessThan(filter.to));
    else if (filter.from) where.startsAt = MoreThanOrEqual(filter.from);
    else if (filter.to) where.startsAt = LessThan(filter.to);
    return this.db.getRepository(Appointment).findAndCount({
      where: visibleTo(actor, where),
      relations: WITH_PEOPLE,
      order: { startsAt: 'ASC', id: 'ASC' },
      skip: (filter.page - 1) * filter.limit,
      take: filter.limit,
    });
  }
}
